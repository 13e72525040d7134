package ai.maspo.orchestrator.service;

import ai.maspo.orchestrator.domain.ValidRun;
import ai.maspo.orchestrator.persistence.RunEntity;
import ai.maspo.orchestrator.persistence.RunPhase;
import ai.maspo.orchestrator.persistence.RunStatus;
import ai.maspo.orchestrator.persistence.SearchHistory;
import ai.maspo.orchestrator.search.BeamNode;
import ai.maspo.orchestrator.search.HistoryEntry;
import ai.maspo.orchestrator.search.ScoredCandidate;
import ai.maspo.orchestrator.search.SearchEngine;
import ai.maspo.orchestrator.search.SearchProblem;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A run's events ({@link RunEvent}) derived from what is stored: the run row, its search history and the usage
 * ledger. A stream asks for the events after the last one it sent, at its own pace, with a {@link Cursor} of its own;
 * nothing else is held in memory, so any replica can serve any stream.
 */
@ApplicationScoped
public class RunEvents {

    /** Events after the asked id, in order; {@code done}: the run has ended and {@code events} hold the last ones. */
    public record Batch(List<RunEvent> events, boolean done) {
    }

    /**
     * Where a stream is: the id of the last event it sent, and the run row's version (update time, status, phase)
     * when its events were last derived. Every step, phase change and end of a run updates its row, so while the
     * version is the same there is nothing new, and a poll costs one small query instead of reading the run.
     */
    public static final class Cursor {
        private volatile long lastId;
        private volatile List<Object> version;

        public Cursor(long lastId) {
            this.lastId = lastId;
        }

        public void sent(long id) {
            lastId = id;
        }
    }

    private final RunHistory history;
    private final RunViews views;
    private final ValidRuns validRuns;
    private final RunCosts costs;
    private final ObjectMapper mapper;

    RunEvents(RunHistory history, RunViews views, ValidRuns validRuns, RunCosts costs, ObjectMapper mapper) {
        this.history = history;
        this.views = views;
        this.validRuns = validRuns;
        this.costs = costs;
        this.mapper = mapper;
    }

    /** The run's events after the cursor's last one; a run that no longer exists has none and is done. */
    @Transactional
    public Batch next(String runId, Cursor cursor) {
        List<Object> version = RunEntity.getEntityManager().createQuery(
                        "select r.updatedAt, r.status, r.phase from RunEntity r where r.id = ?1", Object[].class)
                .setParameter(1, runId).getResultStream().findFirst().map(Arrays::asList).orElse(null);
        if (version == null) {
            return new Batch(List.of(), true);
        }
        if (version.equals(cursor.version)) {
            return new Batch(List.of(), ((RunStatus) version.get(1)).isFinal());
        }
        Batch batch = after(runId, cursor.lastId);
        cursor.version = version;
        return batch;
    }

    /** The run's events with an id above {@code afterId}. */
    private Batch after(String runId, long afterId) {
        // The run row is read before the history: a run seen out of the search has all its steps stored already.
        RunEntity run = RunEntity.findById(runId);
        if (run == null) {
            return new Batch(List.of(), true);
        }
        List<RunEvent> events = new ArrayList<>();
        if (afterId < RunEvent.SEARCH_STARTED) {
            events.add(searchStarted(run));
        }
        List<SearchHistory.Row> rows = history.rowsFrom(run, RunEvent.firstStepAfter(afterId));
        for (SearchHistory.Row row : rows) {
            for (RunEvent event : ofStep(run, row)) {
                if (event.id() > afterId) {
                    events.add(event);
                }
            }
        }
        int steps = rows.isEmpty() ? SearchHistory.size(run.id) : rows.getLast().seq() + 1;
        // DONE without test accuracy: the run ended without a test phase.
        boolean tested = run.phase == RunPhase.TESTING || run.phase == RunPhase.DONE && run.seedAccuracy != null;
        if (tested) {
            events.add(new RunEvent(RunEvent.ofStep(steps, 0), "phase", new RunEvent.Phase(RunPhase.TESTING, null,
                    null, null, null, null, null, run.finishReason)));
        }
        if (run.status.isFinal()) {
            RunView view = views.of(run);
            long paid = view.cost().stream().mapToLong(RunView.Cost::calls).sum();
            events.add(new RunEvent(RunEvent.ofStep(steps, 2), "cost",
                    new RunEvent.Cost(null, run.finishedAt, paid, view.cost())));
            events.add(new RunEvent(RunEvent.ofStep(steps, 3), "finished", new RunEvent.Finished(run.status,
                    run.finishReason, run.error, run.seedAccuracy, run.optimizedAccuracy, view.testFailures(),
                    view.bestPrompts(), run.finishedAt)));
        }
        return new Batch(events.stream().filter(e -> e.id() > afterId).toList(), run.status.isFinal());
    }

    private RunEvent searchStarted(RunEntity run) {
        ValidRun valid = validRuns.of(run);
        SearchProblem problem = SearchProblem.of(valid.mas(), valid.effective());
        return new RunEvent(RunEvent.SEARCH_STARTED, "phase", new RunEvent.Phase(RunPhase.SEARCHING,
                SearchEngine.schedule(problem).size(), valid.effective().layersPerAgent(), problem.optimizableAgents(),
                valid.seedPrompts(), valid.spec().budget(), run.createdAt, null));
    }

    private List<RunEvent> ofStep(RunEntity run, SearchHistory.Row row) {
        int s = row.seq();
        List<RunEvent> events = new ArrayList<>();
        switch (read(row.entry())) {
            case HistoryEntry.LayerRecord l -> {
                int accepted = (int) l.candidates().stream().filter(ScoredCandidate::accepted).count();
                int failed = (int) l.candidates().stream().filter(ScoredCandidate::failed).count();
                Double top = l.beamAfter().isEmpty() ? null : l.beamAfter().getFirst().score();
                events.add(new RunEvent(RunEvent.ofStep(s, 0), "layer", new RunEvent.Layer(s, l.agent(), l.layer(),
                        l.status(), top, accepted, l.candidates().size() - accepted - failed, l.rejected().size(),
                        failed, l.misaligned(), l.drawn(), l.misalignmentRate(), l.bestChanged(), l.beamAfter(),
                        row.recordedAt(), row.paidCalls())));
                if (l.bestChanged()) {
                    events.add(best(s, l.agent(), l.bestNodeId(), l.beamAfter()));
                }
            }
            case HistoryEntry.RefreshRecord r -> {
                events.add(new RunEvent(RunEvent.ofStep(s, 0), "refresh", new RunEvent.Refresh(s, r.agent(),
                        r.visit(), r.status(), r.topStable(), r.reanchored(), r.beamAfter(), row.recordedAt(),
                        row.paidCalls())));
                if (r.reanchored()) {
                    events.add(best(s, r.agent(), r.bestNodeId(), r.beamAfter()));
                }
            }
        }
        // Steps moved from a state of the first format carry no time, so there is no cost to tell for them.
        if (row.recordedAt() != null) {
            events.add(new RunEvent(RunEvent.ofStep(s, 2), "cost", new RunEvent.Cost(s, row.recordedAt(),
                    row.paidCalls(), costs.until(validRuns.of(run), run.id, row.recordedAt()))));
        }
        return events;
    }

    /** The step made {@code nodeId}, the top of its beam, the agent's best. */
    private static RunEvent best(int step, String agent, String nodeId, List<BeamNode> beam) {
        BeamNode node = beam.stream().filter(n -> n.id().equals(nodeId)).findFirst()
                .orElseThrow(() -> new IllegalStateException("step " + step + ": best node " + nodeId + " not in its beam"));
        return new RunEvent(RunEvent.ofStep(step, 1), "best",
                new RunEvent.Best(step, agent, nodeId, node.score(), node.prompt()));
    }

    private HistoryEntry read(String entry) {
        try {
            return mapper.readValue(entry, HistoryEntry.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored history entry unreadable", e);
        }
    }
}
