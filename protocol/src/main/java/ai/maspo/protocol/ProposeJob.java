package ai.maspo.protocol;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import java.util.List;

/**
 * One optimizer call: propose a new prompt for {@code agentId} from its current prompt, traces of half the
 * mini-batch, and misalignment cases (traces that looked good locally and failed downstream). {@code seed} is
 * this proposal's own (the optimizer samples at temperature > 0), unlike the request seed used for backbone calls.
 */
public record ProposeJob(@NotBlank String agentId, @NotBlank String currentPrompt,
                         @NotNull List<@Valid TraceExample> traces, @NotNull List<@Valid TraceExample> misalignmentCases,
                         long seed) implements EvaluationJob {

    /** What the agent saw and said on one question; {@code downstreamFailure} explains a misalignment case. */
    public record TraceExample(@NotBlank String questionId, @NotNull String question, String context,
                               @NotNull String output, String downstreamFailure) {
    }
}
