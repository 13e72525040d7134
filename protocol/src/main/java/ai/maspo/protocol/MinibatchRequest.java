package ai.maspo.protocol;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Positive;

import java.util.List;

/**
 * Ask for the mini-batch of one layer of one agent. Up to {@code maxInjected} questions come from the
 * misalignment memory of {@code memoryAgents} (the agent's predecessors), the rest are drawn from the pool
 * without replacement; {@code seed} makes the draw reproducible.
 */
public record MinibatchRequest(@NotBlank String requestId, @NotBlank String runId, @NotBlank String agentId,
                               int layer, @Positive int size, @PositiveOrZero int maxInjected,
                               @NotNull List<String> memoryAgents, long seed) implements SamplerCommand {
}
