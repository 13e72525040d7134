package ai.maspo.protocol;

/** The optimizer's raw reply and the prompt parsed from it (null when the reply had no usable prompt). */
public record Proposal(String reply, String prompt) implements EvaluationOutcome {
}
