package ai.maspo.evaluator.prompting;

/**
 * A trace the search flagged: the agent's output looked good locally but the system failed downstream.
 *
 * @param downstreamFailure what went wrong after this agent, in words (e.g. "the successor's answer got worse")
 */
public record MisalignmentTrace(ProposalTrace trace, String downstreamFailure) {
}
