package ai.maspo.protocol;

/** FAILED means the job could not be done after bounded retries; its outcome is absent, never a made-up score. */
public enum ResultStatus {
    SUCCEEDED, FAILED
}
