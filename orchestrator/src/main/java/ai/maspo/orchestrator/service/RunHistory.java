package ai.maspo.orchestrator.service;

import ai.maspo.orchestrator.persistence.RunEntity;
import ai.maspo.orchestrator.persistence.SearchHistory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A run's search history, read from its table in order; a run whose state embeds it still is converted first. */
@ApplicationScoped
public class RunHistory {

    private final RunAdvancer advancer;
    private final ObjectMapper mapper;

    RunHistory(RunAdvancer advancer, ObjectMapper mapper) {
        this.advancer = advancer;
        this.mapper = mapper;
    }

    @Transactional
    public List<HistoryStep> of(String runId) {
        RunEntity run = RunEntity.findById(runId);
        if (run == null) {
            throw new RunNotFoundException(runId);
        }
        return rowsFrom(run, 0).stream()
                .map(row -> new HistoryStep(fields(row.entry()), row.recordedAt(), row.paidCalls())).toList();
    }

    /** The stored entries numbered {@code firstSeq} or more (within the caller's transaction). */
    List<SearchHistory.Row> rowsFrom(RunEntity run, int firstSeq) {
        if (advancer.outdated(run)) {
            // Read again under the lock: a transaction advancing the run may have converted it meanwhile.
            RunEntity.getEntityManager().refresh(run, LockModeType.PESSIMISTIC_WRITE);
            advancer.upgrade(run);
        }
        return SearchHistory.from(run.id, firstSeq);
    }

    private Map<String, JsonNode> fields(String entry) {
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        try {
            mapper.readTree(entry).properties().forEach(field -> fields.put(field.getKey(), field.getValue()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored history entry unreadable", e);
        }
        return fields;
    }
}
