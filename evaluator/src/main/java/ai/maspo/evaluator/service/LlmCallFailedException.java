package ai.maspo.evaluator.service;

/** An LLM call that still failed after the bounded retries; the job is recorded as FAILED with this message. */
public class LlmCallFailedException extends RuntimeException {

    public LlmCallFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
