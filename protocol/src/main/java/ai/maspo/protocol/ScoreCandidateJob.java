package ai.maspo.protocol;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import java.util.List;
import java.util.Map;

/**
 * Score a candidate prompt of {@code agentId} against its parent: run the MAS with each (others holding
 * {@code prompts}; upstream outputs come from the cache), then ask the judge to compare the outputs of every agent
 * in {@code judgedAgents} (the agent itself, its successors, the terminal), each comparison in both orders.
 */
public record ScoreCandidateJob(@NotBlank String agentId, @NotBlank String candidatePrompt,
                                @NotBlank String parentPrompt, @NotNull Map<String, String> prompts,
                                @NotEmpty List<@Valid Question> questions, @NotEmpty List<String> judgedAgents)
        implements EvaluationJob {
}
