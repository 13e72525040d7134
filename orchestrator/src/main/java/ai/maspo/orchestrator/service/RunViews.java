package ai.maspo.orchestrator.service;

import ai.maspo.orchestrator.persistence.DispatchEntity;
import ai.maspo.orchestrator.persistence.RunEntity;
import ai.maspo.protocol.WireCodec;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Validator;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A run as the API shows it: status, progress per job kind (each job once, however often it was tried), cost. */
@ApplicationScoped
public class RunViews {

    private final RunCosts costs;
    private final ValidRuns validRuns;
    private final ObjectMapper mapper;

    RunViews(RunCosts costs, ValidRuns validRuns, ObjectMapper mapper) {
        this.costs = costs;
        this.validRuns = validRuns;
        this.mapper = mapper;
    }

    RunView of(RunEntity run) {
        Map<String, RunView.Progress> progress = new LinkedHashMap<>();
        List<Object[]> rows = DispatchEntity.getEntityManager().createQuery(
                        "select d.kind, d.status, count(d) from DispatchEntity d where d.runId = ?1"
                                + " and d.awaitsReply = true and d.status <> ?2 group by d.kind, d.status", Object[].class)
                .setParameter(1, run.id).setParameter(2, DispatchEntity.Status.RETRIED).getResultList();
        for (Object[] row : rows) {
            RunView.Progress p = progress.getOrDefault((String) row[0], new RunView.Progress(0, 0, 0));
            long n = (Long) row[2];
            DispatchEntity.Status status = (DispatchEntity.Status) row[1];
            progress.put((String) row[0], new RunView.Progress(
                    p.done() + (status == DispatchEntity.Status.SUCCEEDED ? n : 0),
                    p.failed() + (status == DispatchEntity.Status.FAILED ? n : 0), p.total() + n));
        }
        List<RunView.Cost> cost = costs.of(validRuns.of(run), run.id);
        return new RunView(run.id, run.name, run.owner, run.status, run.phase, run.strategy, progress,
                read(run.bestPrompts), run.seedAccuracy, run.optimizedAccuracy, testFailures(progress),
                cost, RunCosts.total(cost), run.finishReason, run.error, run.createdAt, run.updatedAt, run.finishedAt);
    }

    /** "k of n test jobs failed ...", or null when none did. */
    private static String testFailures(Map<String, RunView.Progress> progress) {
        long failed = 0;
        long total = 0;
        for (String kind : List.of(SearchDispatch.TEST_SEED, SearchDispatch.TEST_BEST)) {
            RunView.Progress p = progress.get(kind);
            if (p != null) {
                failed += p.failed();
                total += p.total();
            }
        }
        return failed == 0 ? null : failed + " of " + total + " test jobs failed (counted as wrong answers)";
    }

    private Map<String, String> read(String json) {
        try {
            return mapper.readValue(json, new TypeReference<>() {
            });
        } catch (Exception e) {
            throw new IllegalStateException("stored JSON unreadable", e);
        }
    }
}
