package ai.maspo.orchestrator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

@ConfigMapping(prefix = "maspo.orchestrator")
public interface OrchestratorConfig {

    /**
     * A command still unanswered after this long is sent again (receivers are idempotent). Long enough that a
     * slow but healthy evaluation is not duplicated, short enough that a lost message does not stall a run.
     */
    @WithDefault("10m")
    Duration redispatchAfter();

    /**
     * Ceiling of a new run's estimated LLM calls (search and test evaluation, see
     * {@link ai.maspo.orchestrator.domain.WorkEstimate}); above it a spec needs an explicit {@code budget.maxLlmCalls}.
     */
    @WithDefault("200000")
    long maxEstimatedCalls();
}
