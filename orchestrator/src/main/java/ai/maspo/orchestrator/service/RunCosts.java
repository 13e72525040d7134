package ai.maspo.orchestrator.service;

import ai.maspo.orchestrator.domain.RunSpec;
import ai.maspo.orchestrator.persistence.RunEntity;
import ai.maspo.orchestrator.usage.UsageLedger;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A run's LLM cost per model role and its budget, read from the ledger of the evaluators' usage reports
 * ({@link UsageLedger}): every paid attempt is counted there as it is paid, so the cost includes failed attempts and
 * work lost with a killed evaluator, which the answers themselves cannot carry.
 */
@ApplicationScoped
public class RunCosts {

    private final UsageLedger ledger;

    RunCosts(UsageLedger ledger) {
        this.ledger = ledger;
    }

    /** Why the run's budget is spent, if it is. */
    Optional<String> budgetExceeded(RunEntity run, RunSpec.Budget budget) {
        if (budget == null) {
            return Optional.empty();
        }
        List<RunView.Cost> costs = ledger.costOfRun(run.id);
        long calls = costs.stream().mapToLong(RunView.Cost::calls).sum();
        long tokens = costs.stream().mapToLong(c -> c.promptTokens() + c.completionTokens()).sum();
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
        return ledger.costOfRun(runId);
    }
}
