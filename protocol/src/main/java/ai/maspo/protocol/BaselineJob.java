package ai.maspo.protocol;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import java.util.List;
import java.util.Map;

/**
 * Baseline traces of one layer: run the MAS on the questions once per beam node, {@code agentId} taking the node's
 * prompt ({@code nodePrompts}: node id → template) and every other agent its prompt in {@code prompts}. Upstream of
 * the agent is identical for all nodes, so the evaluator's cache computes it once.
 */
public record BaselineJob(@NotBlank String agentId, @NotEmpty Map<String, String> nodePrompts,
                          @NotNull Map<String, String> prompts, @NotEmpty List<@Valid Question> questions)
        implements EvaluationJob {
}
