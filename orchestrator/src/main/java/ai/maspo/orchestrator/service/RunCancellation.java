package ai.maspo.orchestrator.service;

import ai.maspo.orchestrator.persistence.DispatchEntity;
import ai.maspo.orchestrator.persistence.RunEntity;
import ai.maspo.orchestrator.persistence.RunStatus;
import ai.maspo.orchestrator.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

/**
 * Cancels a run: it ends {@code STOPPED} at once with the best prompts found so far, as a budget ceiling ends a search
 * (candidates already judged are kept), but without the test phase, so nothing more is asked of the evaluators. Its
 * unanswered and unpublished commands are cancelled in the same transaction: the outbox relay never publishes them,
 * and answers that arrive later are not stored and move nothing. Jobs an evaluator already took still run to their
 * end; their spend is reported and counted in the run's cost, since it was paid.
 */
@ApplicationScoped
public class RunCancellation {

    private final ValidRuns validRuns;
    private final RunAdvancer advancer;
    private final RunViews views;

    RunCancellation(ValidRuns validRuns, RunAdvancer advancer, RunViews views) {
        this.validRuns = validRuns;
        this.advancer = advancer;
        this.views = views;
    }

    /**
     * The run, stopped; an already stopped run is returned as it is.
     *
     * @throws RunNotCancellableException if the run completed or failed
     */
    @Transactional
    public RunView cancel(String runId, Caller caller) {
        // Answers in flight lock their dispatch rows before the run (ReplyIngest): taking the rows first too keeps
        // the two from deadlocking. Should the run turn out not to be cancellable, the exception rolls this back.
        DispatchEntity.cancelOutstanding(runId);
        RunEntity run = RunEntity.findById(runId, LockModeType.PESSIMISTIC_WRITE);
        if (run == null) {
            throw new RunNotFoundException(runId);
        }
        if (run.status == RunStatus.STOPPED) {
            return views.of(run);
        }
        if (run.status.isFinal()) {
            throw new RunNotCancellableException(runId, run.status);
        }
        String reason = "cancelled by " + caller.owner();
        RunAdvancer.Step engine = advancer.open(run, validRuns.of(run));
        if (engine.searching()) {
            engine.cancel(reason);
            engine.store();
        } else {
            // The search is over and the test set is being measured: its accuracies stay unknown.
            RunAdvancer.stop(run, reason + " while measuring test accuracy (the search had ended: " + run.finishReason
                    + ")");
        }
        // Commands stored since the first pass: by answers committed meanwhile, or by the engine's last transition.
        DispatchEntity.cancelOutstanding(runId);
        return views.of(run);
    }
}
