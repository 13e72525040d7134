package ai.maspo.orchestrator.search;

import java.util.Map;

/**
 * The both-orders votes of one candidate on one question. {@code local} is null for the terminal agent (its own
 * output is the global one) and when not asked; {@code lookahead} maps each immediate successor to its vote;
 * {@code global} is the terminal output's vote, null when not asked.
 */
public record QuestionScore(String questionId, Double local, Map<String, Double> lookahead, Double global) {

    public QuestionScore {
        lookahead = Map.copyOf(lookahead);
    }

    /** Mean vote over the immediate successors, null when none was compared. */
    public Double lookaheadMean() {
        return lookahead.isEmpty() ? null
                : lookahead.values().stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }
}
