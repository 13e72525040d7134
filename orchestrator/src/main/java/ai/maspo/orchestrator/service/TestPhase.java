package ai.maspo.orchestrator.service;

import ai.maspo.orchestrator.domain.ValidRun;
import ai.maspo.orchestrator.persistence.DispatchEntity;
import ai.maspo.orchestrator.persistence.JobReplies;
import ai.maspo.orchestrator.persistence.RunEntity;
import ai.maspo.orchestrator.persistence.RunPhase;
import ai.maspo.orchestrator.persistence.RunStatus;
import ai.maspo.protocol.EvaluationOutcome;
import ai.maspo.protocol.MasTraces;
import ai.maspo.protocol.QuestionTrace;
import ai.maspo.protocol.WireCodec;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Validator;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The test phase: the seed and the optimized prompts run on the labelled test set once the search is over. A test
 * job that failed for good (after its retries) counts as a wrong answer, so one bad question cannot fail a run
 * whose search is done; the run view says how many failed.
 */
@ApplicationScoped
public class TestPhase {

    private static final Logger LOG = Logger.getLogger(TestPhase.class);

    private final SearchDispatch dispatch;
    private final WireCodec codec;

    TestPhase(SearchDispatch dispatch, ObjectMapper mapper, Validator validator) {
        this.dispatch = dispatch;
        this.codec = new WireCodec(mapper, validator);
    }

    void start(RunEntity run, ValidRun valid, Map<String, String> optimized) {
        dispatch.testAccuracy(run, valid, optimized);
    }

    /** Completes the run when no test job is pending any more. */
    void finishIfDone(RunEntity run, ValidRun valid) {
        if (run.phase != RunPhase.TESTING || DispatchEntity.count("runId = ?1 and kind in ?2 and status = ?3", run.id,
                List.of(SearchDispatch.TEST_SEED, SearchDispatch.TEST_BEST), DispatchEntity.Status.PENDING) > 0) {
            return;
        }
        run.seedAccuracy = accuracy(run.id, SearchDispatch.TEST_SEED, valid.test().size());
        run.optimizedAccuracy = accuracy(run.id, SearchDispatch.TEST_BEST, valid.test().size());
        run.phase = RunPhase.DONE;
        run.status = RunStatus.COMPLETED;
        run.finishedAt = run.updatedAt = Instant.now();
        LOG.infof("run %s completed: test accuracy %.3f (seed) -> %.3f (optimized)", run.id, run.seedAccuracy,
                run.optimizedAccuracy);
    }

    /** Correct answers over all test questions: a question whose job failed is not correct. */
    private double accuracy(String runId, String kind, int questions) {
        long correct = JobReplies.ofKind(runId, kind).stream()
                .flatMap(reply -> ((MasTraces) codec.decode(reply, EvaluationOutcome.class)).traces().stream())
                .map(QuestionTrace::correct).filter(Boolean.TRUE::equals).count();
        return questions == 0 ? 0 : (double) correct / questions;
    }
}
