package ai.maspo.orchestrator.service;

import ai.maspo.orchestrator.persistence.RunStatus;

/** A cancel of a run that already ended otherwise (completed or failed): answered 409. */
public class RunNotCancellableException extends RuntimeException {

    public RunNotCancellableException(String runId, RunStatus status) {
        super("run " + runId + " already ended " + status + "; only a PENDING or RUNNING run can be cancelled");
    }
}
