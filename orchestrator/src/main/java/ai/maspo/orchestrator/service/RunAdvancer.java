package ai.maspo.orchestrator.service;

import ai.maspo.orchestrator.domain.ValidRun;
import ai.maspo.orchestrator.metrics.SearchMetrics;
import ai.maspo.orchestrator.persistence.DispatchEntity;
import ai.maspo.orchestrator.persistence.RunEntity;
import ai.maspo.orchestrator.persistence.RunPhase;
import ai.maspo.orchestrator.persistence.RunStatus;
import ai.maspo.orchestrator.persistence.SearchHistory;
import ai.maspo.orchestrator.search.HistoryEntry;
import ai.maspo.orchestrator.search.SearchCommand;
import ai.maspo.orchestrator.search.SearchEngine;
import ai.maspo.orchestrator.search.SearchEvent;
import ai.maspo.orchestrator.search.SearchProblem;
import ai.maspo.orchestrator.search.SearchState;
import ai.maspo.orchestrator.search.SearchStateFormat;
import ai.maspo.protocol.WireCodec;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Validator;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Moves a run's search engine: applies events to its state, carries out the commands that come out (jobs through
 * {@link SearchDispatch}, the test phase when the search finishes) and stores the state, and the history entries the
 * transitions added in {@link SearchHistory}, in the same transaction. A {@link Step} decodes the stored state once,
 * applies any number of events and encodes it once, so a batch of answers costs one round of JSON however many
 * commands it completes.
 * <p>
 * A state of the previous format ({@link SearchStateFormat}: history embedded) is converted when it is next loaded,
 * here rather than by a Flyway migration: an orchestrator of the previous version still running during a rolling
 * upgrade keeps writing that format after the migration would have run, and the entries are re-encoded by the code
 * that writes new ones, so the API shows them exactly as before.
 */
@ApplicationScoped
public class RunAdvancer {

    private static final Logger LOG = Logger.getLogger(RunAdvancer.class);

    private final SearchDispatch dispatch;
    private final TestPhase tests;
    private final WireCodec codec;
    private final SearchStateFormat format;
    private final ObjectWriter entryWriter;
    private final SearchMetrics metrics;

    RunAdvancer(SearchDispatch dispatch, TestPhase tests, ObjectMapper mapper, Validator validator, SearchMetrics metrics) {
        this.dispatch = dispatch;
        this.metrics = metrics;
        this.tests = tests;
        this.codec = new WireCodec(mapper, validator);
        this.format = new SearchStateFormat(mapper);
        this.entryWriter = mapper.writerFor(HistoryEntry.class);
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

    /** Whether the run's stored state is of an older format than this code writes. */
    boolean outdated(RunEntity run) {
        return run.searchState != null && format.version(run.searchState) < SearchStateFormat.VERSION;
    }

    /**
     * Converts an outdated state now, so that its history can be read from the table: the entries it embedded are
     * stored apart and the state is written in today's format (the caller holds the run's lock).
     */
    void upgrade(RunEntity run) {
        if (outdated(run)) {
            new Step(run, null, run.searchState).storeState();
            LOG.infof("run %s: search state converted to format %d", run.id, SearchStateFormat.VERSION);
        }
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
        /** Entries a version-1 state embedded, to store apart (their time and cost unknown). */
        private List<HistoryEntry> embedded = List.of();
        /** The sequence number of the first entry of {@link #added}. */
        private int firstAdded;
        /** Entries the transitions of this step added, in order. */
        private final List<HistoryEntry> added = new ArrayList<>();
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
                load();
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

        private void load() {
            SearchStateFormat.Read read = format.read(stored);
            state = read.state();
            embedded = read.embeddedHistory();
            firstAdded = state.historySize();
        }

        private void advance(SearchEngine.Transition transition) {
            state = transition.state();
            added.addAll(transition.history());
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
            storeState();
            Map<String, String> best = optimized;
            if (best == null) {
                best = new LinkedHashMap<>(valid.seedPrompts());
                best.putAll(SearchEngine.bestPrompts(state));
            }
            run.bestPrompts = codec.encode(best);
            run.updatedAt = Instant.now();
        }

        /** The history entries not stored yet, then the state that follows them, in today's format. */
        private void storeState() {
            if (state == null) {
                load();
            }
            SearchHistory.append(run.id, 0, embedded.stream().map(this::entryJson).toList(), false);
            SearchHistory.append(run.id, firstAdded, added.stream().map(this::entryJson).toList(), true);
            metrics.stepsStored(List.copyOf(added));
            run.searchState = format.write(state);
        }

        private String entryJson(HistoryEntry entry) {
            try {
                return entryWriter.writeValueAsString(entry);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot encode a history entry", e);
            }
        }
    }
}
