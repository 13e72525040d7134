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

    /**
     * What the agent saw and said on one question. A misalignment case also says what went wrong
     * ({@code downstreamFailure}) and shows what happened after the agent on the same question: {@code passedOn}, the
     * summary its successors read (null when they read the output itself), their outputs and the system's final
     * output (null when the agent is the terminal one). Messages without these fields (older senders, plain
     * traces) read as null and an empty list.
     */
    public record TraceExample(@NotBlank String questionId, @NotNull String question, String context,
                               @NotNull String output, String downstreamFailure, String passedOn,
                               List<@Valid AgentOutput> successorOutputs, @Valid AgentOutput finalOutput) {
        public TraceExample {
            successorOutputs = successorOutputs == null ? List.of() : List.copyOf(successorOutputs);
        }

        /** A plain trace: nothing shown downstream. */
        public static TraceExample plain(String questionId, String question, String context, String output) {
            return new TraceExample(questionId, question, context, output, null, null, List.of(), null);
        }
    }

    /** One downstream agent's output on the same question. */
    public record AgentOutput(@NotBlank String agentId, @NotNull String output) {
    }
}
