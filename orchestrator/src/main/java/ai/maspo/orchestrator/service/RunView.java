package ai.maspo.orchestrator.service;

import ai.maspo.orchestrator.persistence.RunPhase;
import ai.maspo.orchestrator.persistence.RunStatus;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A run as the API shows it; {@code testFailures} says how many test jobs failed for good (null: none);
 * {@code costUsd} is the run's LLM cost in US dollars, null while a role that was paid for has no known price.
 */
public record RunView(String id, String name, String owner, RunStatus status, RunPhase phase,
                      @Schema(ref = "Strategy") String strategy,
                      Map<String, Progress> progress, Map<String, String> bestPrompts, Double seedAccuracy,
                      Double optimizedAccuracy, String testFailures, List<Cost> cost, BigDecimal costUsd,
                      String finishReason, String error, Instant createdAt, Instant updatedAt, Instant finishedAt) {

    /** Jobs of one kind: answered so far, failed, and sent in all. */
    public record Progress(long done, long failed, long total) {
    }

    /**
     * LLM cost of one model role: paid calls, calls answered from the evaluators' cache, tokens (the prompt tokens the
     * provider served from its own cache among them), the attempts' summed milliseconds, the elapsed milliseconds
     * during which at least one attempt of the role was under way (null when no evaluator reported attempt times),
     * and US dollars (null when the role's model has no known price, never 0 for unknown).
     */
    public record Cost(String role, long calls, long cachedCalls, long promptTokens, long cachedPromptTokens,
                       long completionTokens, long millis, Long elapsedMillis, BigDecimal costUsd) {
    }
}
