package ai.maspo.orchestrator.service;

import ai.maspo.orchestrator.domain.RunSpec;
import ai.maspo.orchestrator.persistence.RunCostEntity;
import ai.maspo.orchestrator.persistence.RunEntity;
import ai.maspo.protocol.Usage;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A run's LLM cost per model role and its budget: the one place that adds usage and reads it back for the budget,
 * so where cost comes from can change here alone.
 */
@ApplicationScoped
public class RunCosts {

    /** Adds the usage of a batch of accepted answers of one run, one row update per role. */
    void add(String runId, List<Usage> usage) {
        Map<String, Usage> perRole = new LinkedHashMap<>();
        for (Usage u : usage) {
            perRole.merge(u.role().name(), u, (a, b) -> new Usage(a.role(), a.calls() + b.calls(),
                    a.cachedCalls() + b.cachedCalls(), a.promptTokens() + b.promptTokens(),
                    a.completionTokens() + b.completionTokens(), a.millis() + b.millis()));
        }
        perRole.forEach((role, u) -> {
            RunCostEntity cost = RunCostEntity.findById(new RunCostEntity.Key(runId, role));
            if (cost == null) {
                cost = new RunCostEntity();
                cost.key = new RunCostEntity.Key(runId, role);
                cost.persist();
            }
            cost.calls += u.calls();
            cost.cachedCalls += u.cachedCalls();
            cost.promptTokens += u.promptTokens();
            cost.completionTokens += u.completionTokens();
            cost.millis += u.millis();
        });
    }

    /** Why the run's budget is spent, if it is. */
    Optional<String> budgetExceeded(RunEntity run, RunSpec.Budget budget) {
        if (budget == null) {
            return Optional.empty();
        }
        List<RunCostEntity> costs = RunCostEntity.ofRun(run.id);
        long calls = costs.stream().mapToLong(c -> c.calls).sum();
        long tokens = costs.stream().mapToLong(c -> c.promptTokens + c.completionTokens).sum();
        if (budget.maxLlmCalls() != null && calls >= budget.maxLlmCalls()) {
            return Optional.of("budget: " + calls + " LLM calls reached the ceiling of " + budget.maxLlmCalls());
        }
        if (budget.maxTokens() != null && tokens >= budget.maxTokens()) {
            return Optional.of("budget: " + tokens + " tokens reached the ceiling of " + budget.maxTokens());
        }
        Duration elapsed = Duration.between(run.createdAt, Instant.now());
        if (budget.maxWallSeconds() != null && elapsed.toSeconds() >= budget.maxWallSeconds()) {
            return Optional.of("budget: " + elapsed.toSeconds() + " s reached the ceiling of "
                    + budget.maxWallSeconds() + " s");
        }
        return Optional.empty();
    }

    List<RunView.Cost> of(String runId) {
        return RunCostEntity.ofRun(runId).stream()
                .map(c -> new RunView.Cost(c.key.role(), c.calls, c.cachedCalls, c.promptTokens, c.completionTokens,
                        c.millis))
                .toList();
    }
}
