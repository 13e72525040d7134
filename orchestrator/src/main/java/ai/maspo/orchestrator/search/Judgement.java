package ai.maspo.orchestrator.search;

/**
 * One pairwise comparison of a candidate with its parent on one question, asked in both orders; {@code judgedAgent}
 * is whose output was compared (the agent itself, a successor, or the terminal agent).
 */
public record Judgement(String questionId, String judgedAgent, Preference candidateShownFirst,
                        Preference candidateShownSecond) {
}
