package ai.maspo.evaluator.prompting;

/** What the optimized agent saw and said on one question; {@code context} is null for an agent without predecessors. */
public record ProposalTrace(String question, String context, String output) {
}
