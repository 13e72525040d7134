package ai.maspo.protocol;

import java.util.List;

/**
 * Ask for the mini-batch of one layer of one agent. Up to {@code maxInjected} questions come from the
 * misalignment memory of {@code memoryAgents} (the agent's predecessors), the rest are drawn from the pool
 * without replacement; {@code seed} makes the draw reproducible.
 */
public record MinibatchRequest(String requestId, String runId, String agentId, int layer, int size, int maxInjected,
                               List<String> memoryAgents, long seed) implements SamplerCommand {
}
