package ai.maspo.orchestrator.persistence;

public enum RunStatus {
    PENDING, RUNNING, COMPLETED, FAILED, STOPPED;

    public boolean isFinal() {
        return this == COMPLETED || this == FAILED || this == STOPPED;
    }
}
