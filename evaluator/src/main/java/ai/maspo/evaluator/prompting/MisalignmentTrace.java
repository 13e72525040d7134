package ai.maspo.evaluator.prompting;

import java.util.List;

/**
 * A trace the search flagged: the agent's output looked good locally but the system failed downstream. What happened
 * after the agent on the same question is shown, not only told.
 *
 * @param downstreamFailure what went wrong after this agent, in words (e.g. "the successor's answer got worse")
 * @param passedOn          the summary of the output that the successors read, or null when they read the output
 * @param successorOutputs  the outputs of the agent's successors other than the terminal agent
 * @param finalOutput       the system's final output, or null when the agent is the terminal one
 */
public record MisalignmentTrace(ProposalTrace trace, String downstreamFailure, String passedOn,
                                List<DownstreamOutput> successorOutputs, DownstreamOutput finalOutput) {

    public MisalignmentTrace {
        successorOutputs = List.copyOf(successorOutputs);
    }

    /** One downstream agent's output on the same question. */
    public record DownstreamOutput(String agent, String output) {
    }
}
