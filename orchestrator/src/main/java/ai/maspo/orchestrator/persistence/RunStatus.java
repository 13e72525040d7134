package ai.maspo.orchestrator.persistence;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Where a run stands; COMPLETED, FAILED and STOPPED are final. */
@Schema(description = "RUNNING while searching or measuring test accuracy; then COMPLETED (test accuracy measured), "
        + "FAILED (error says why) or STOPPED (cancelled: the best prompts found so far, no test accuracy). PENDING is "
        + "reserved and not used yet")
public enum RunStatus {
    PENDING, RUNNING, COMPLETED, FAILED, STOPPED;

    public boolean isFinal() {
        return this == COMPLETED || this == FAILED || this == STOPPED;
    }
}
