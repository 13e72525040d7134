package ai.maspo.protocol;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import java.util.List;

/** The sampler's answer; {@code injectedQuestionIds} are the questions taken from misalignment memory. */
public record Minibatch(@NotBlank String requestId, @NotBlank String runId, @NotBlank String agentId, int layer,
                        @NotNull List<@Valid Question> questions, @NotNull List<String> injectedQuestionIds) {
}
