package ai.maspo.orchestrator.service;

import ai.maspo.orchestrator.domain.ValidRun;
import ai.maspo.orchestrator.persistence.DispatchEntity;
import ai.maspo.orchestrator.persistence.RunEntity;
import ai.maspo.orchestrator.persistence.RunPhase;
import ai.maspo.orchestrator.persistence.RunStatus;
import ai.maspo.orchestrator.search.SearchCommand;
import ai.maspo.orchestrator.search.SearchEngine;
import ai.maspo.orchestrator.search.SearchEvent;
import ai.maspo.orchestrator.search.SearchProblem;
import ai.maspo.orchestrator.search.SearchState;
import ai.maspo.protocol.WireCodec;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Validator;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Moves a run's search engine: applies events to its state, carries out the commands that come out (jobs through
 * {@link SearchDispatch}, the test phase when the search finishes) and stores the state. A {@link Step} decodes
 * the stored state once, applies any number of events and encodes it once, so a batch of answers costs one
 * round of JSON however many commands it completes.
 */
@ApplicationScoped
public class RunAdvancer {

    private static final Logger LOG = Logger.getLogger(RunAdvancer.class);

    private final SearchDispatch dispatch;
    private final TestPhase tests;
    private final WireCodec codec;

    RunAdvancer(SearchDispatch dispatch, TestPhase tests, ObjectMapper mapper, Validator validator) {
        this.dispatch = dispatch;
        this.tests = tests;
        this.codec = new WireCodec(mapper, validator);
    }

    /** Starts the search of a new run. */
    void start(RunEntity run, ValidRun valid) {
        Step step = new Step(run, valid, null);
        step.advance(SearchEngine.start(SearchProblem.of(valid.mas(), valid.effective())));
        step.store();
    }

    /** The engine of a run, for this transaction (the caller holds the run's lock). */
    Step open(RunEntity run, ValidRun valid) {
        return new Step(run, valid, run.searchState);
    }

    SearchState state(RunEntity run) {
        return codec.decode(run.searchState, SearchState.class);
    }

    static void fail(RunEntity run, String error) {
        run.status = RunStatus.FAILED;
        run.error = error;
        run.finishedAt = Instant.now();
        run.updatedAt = Instant.now();
        LOG.warnf("run %s failed: %s", run.id, error);
    }

    /** Ends a run for good with the prompts it holds, without the test phase (a cancelled run pays for nothing more). */
    static void stop(RunEntity run, String reason) {
        run.status = RunStatus.STOPPED;
        run.phase = RunPhase.DONE;
        run.finishReason = reason;
        run.finishedAt = Instant.now();
        run.updatedAt = Instant.now();
        LOG.infof("run %s stopped: %s", run.id, reason);
    }

    /** One run's engine within one transaction; {@link #store()} writes what changed. */
    final class Step {
        private final RunEntity run;
        private final ValidRun valid;
        private final String stored;
        private SearchState state;
        /** The optimized prompts, once the search has finished in this step. */
        private Map<String, String> optimized;
        /** Set by {@link #cancel}: the search's end stops the run instead of starting the test phase. */
        private boolean cancelled;

        private Step(RunEntity run, ValidRun valid, String stored) {
            this.run = run;
            this.valid = valid;
            this.stored = stored;
        }

        boolean searching() {
            return run.phase == RunPhase.SEARCHING && run.status == RunStatus.RUNNING;
        }

        /** Applies an event while the search runs; ignored once it has finished (a late answer). */
        void apply(SearchEvent event) {
            if (!searching()) {
                return;
            }
            if (state == null) {
                state = codec.decode(stored, SearchState.class);
            }
            advance(SearchEngine.apply(state, event));
        }

        /**
         * Ends the search as a budget ceiling does (candidates already judged are kept, the best prompts so far are
         * the result) and then the run, as {@link #stop stopped}.
         */
        void cancel(String reason) {
            cancelled = true;
            apply(new SearchEvent.Cancelled(reason));
        }

        private void advance(SearchEngine.Transition transition) {
            state = transition.state();
            for (SearchCommand command : transition.commands()) {
                if (command instanceof SearchCommand.Finish finish) {
                    finish(finish);
                } else {
                    dispatch.send(run, valid, command);
                }
            }
        }

        private void finish(SearchCommand.Finish finish) {
            DispatchEntity.cancelPendingSearchJobs(run.id);
            optimized = new LinkedHashMap<>(valid.seedPrompts());
            optimized.putAll(finish.bestPrompts());
            if (cancelled) {
                stop(run, finish.reason());
                return;
            }
            run.finishReason = finish.reason();
            run.phase = RunPhase.TESTING;
            tests.start(run, valid, optimized);
            LOG.infof("run %s: search finished (%s), measuring test accuracy", run.id, finish.reason());
        }

        /** Stores the state once, with the best prompts so far (the optimized ones once the search finished). */
        void store() {
            if (state == null) {
                return;
            }
            run.searchState = codec.encode(state);
            Map<String, String> best = optimized;
            if (best == null) {
                best = new LinkedHashMap<>(valid.seedPrompts());
                best.putAll(SearchEngine.bestPrompts(state));
            }
            run.bestPrompts = codec.encode(best);
            run.updatedAt = Instant.now();
        }
    }
}
