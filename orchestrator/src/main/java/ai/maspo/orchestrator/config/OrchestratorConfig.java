package ai.maspo.orchestrator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Min;

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
     * How often an evaluation job is tried before it counts as failed (its command fails, or a test question counts
     * as wrong): an evaluator's FAILED answer is usually a transient LLM fault that its own retries did not outlast.
     */
    @WithDefault("3")
    @Min(1)
    int jobAttempts();
}
