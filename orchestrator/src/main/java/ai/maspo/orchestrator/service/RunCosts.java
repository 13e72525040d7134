package ai.maspo.orchestrator.service;

import ai.maspo.orchestrator.domain.Prices;
import ai.maspo.orchestrator.domain.RunSpec;
import ai.maspo.orchestrator.domain.ValidRun;
import ai.maspo.orchestrator.persistence.RunEntity;
import ai.maspo.orchestrator.usage.UsageLedger;
import ai.maspo.protocol.ModelRole;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A run's LLM cost per model role and its budget, read from the ledger of the evaluators' usage reports
 * ({@link UsageLedger}) and priced by the role's model ({@link Prices}): every paid attempt is counted there as it is
 * paid, so the cost includes failed attempts and work lost with a killed evaluator, which the answers themselves
 * cannot carry.
 */
@ApplicationScoped
public class RunCosts {

    private final UsageLedger ledger;
    private final Prices prices;

    RunCosts(UsageLedger ledger, Prices prices) {
        this.ledger = ledger;
        this.prices = prices;
    }

    /** Why the run's budget is spent, if it is. */
    Optional<String> budgetExceeded(RunEntity run, ValidRun valid) {
        RunSpec.Budget budget = valid.spec().budget();
        if (budget == null) {
            return Optional.empty();
        }
        List<RunView.Cost> costs = of(valid, ledger.costOfRun(run.id));
        long calls = costs.stream().mapToLong(RunView.Cost::calls).sum();
        long tokens = costs.stream().mapToLong(c -> c.promptTokens() + c.completionTokens()).sum();
        if (budget.maxLlmCalls() != null && calls >= budget.maxLlmCalls()) {
            return Optional.of("budget: " + calls + " LLM calls reached the ceiling of " + budget.maxLlmCalls());
        }
        if (budget.maxTokens() != null && tokens >= budget.maxTokens()) {
            return Optional.of("budget: " + tokens + " tokens reached the ceiling of " + budget.maxTokens());
        }
        BigDecimal dollars = total(costs);
        if (budget.maxCostUsd() != null && dollars != null && dollars.compareTo(budget.maxCostUsd()) >= 0) {
            return Optional.of("budget: " + dollars.toPlainString() + " USD reached the ceiling of "
                    + budget.maxCostUsd().toPlainString() + " USD");
        }
        Duration elapsed = Duration.between(run.createdAt, Instant.now());
        if (budget.maxWallSeconds() != null && elapsed.toSeconds() >= budget.maxWallSeconds()) {
            return Optional.of("budget: " + elapsed.toSeconds() + " s reached the ceiling of "
                    + budget.maxWallSeconds() + " s");
        }
        return Optional.empty();
    }

    List<RunView.Cost> of(ValidRun valid, String runId) {
        return of(valid, ledger.costOfRun(runId));
    }

    /** The cost as the ledger had it at {@code time}. */
    List<RunView.Cost> until(ValidRun valid, String runId, Instant time) {
        return of(valid, ledger.costOfRunUntil(runId, time));
    }

    /** The run's dollars: null when a role that was paid for has no known price. */
    static BigDecimal total(List<RunView.Cost> costs) {
        BigDecimal sum = BigDecimal.ZERO;
        for (RunView.Cost c : costs) {
            if (c.costUsd() == null) {
                if (c.calls() > 0 || c.promptTokens() > 0 || c.completionTokens() > 0) {
                    return null;
                }
            } else {
                sum = sum.add(c.costUsd());
            }
        }
        return sum;
    }

    private List<RunView.Cost> of(ValidRun valid, List<UsageLedger.RoleUsage> usage) {
        return usage.stream().map(u -> new RunView.Cost(u.role(), u.calls(), u.cachedCalls(), u.promptTokens(),
                u.cachedPromptTokens(), u.completionTokens(), u.millis(), u.elapsedMillis(),
                prices.of(valid, ModelRole.valueOf(u.role()))
                        .map(p -> p.cost(u.promptTokens(), u.cachedPromptTokens(), u.completionTokens()))
                        .orElse(null))).toList();
    }
}
