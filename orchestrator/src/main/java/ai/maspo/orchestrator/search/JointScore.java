package ai.maspo.orchestrator.search;

import java.util.List;
import java.util.function.Function;

/**
 * R(c) = w_l·local + w_n·lookahead + w_g·global − 0.5 over the mini-batch rates (weights normalised); for the
 * terminal agent R(c) = global − 0.5. R > 0 means the candidate beats its parent.
 */
public final class JointScore {

    public record Rates(Double local, Double lookahead, Double global) {
    }

    public static double of(List<QuestionScore> scores, JointWeights normalisedWeights, boolean terminal) {
        Rates rates = rates(scores);
        if (terminal) {
            return required(rates.global(), "global") - 0.5;
        }
        double r = -0.5;
        r += weighted(normalisedWeights.local(), rates.local(), "local");
        r += weighted(normalisedWeights.lookahead(), rates.lookahead(), "lookahead");
        r += weighted(normalisedWeights.global(), rates.global(), "global");
        return r;
    }

    /** Mean vote per comparison kind over the questions, null for a kind that was not asked. */
    public static Rates rates(List<QuestionScore> scores) {
        return new Rates(mean(scores, QuestionScore::local), mean(scores, QuestionScore::lookaheadMean),
                mean(scores, QuestionScore::global));
    }

    private static Double mean(List<QuestionScore> scores, Function<QuestionScore, Double> part) {
        double sum = 0;
        int n = 0;
        for (QuestionScore score : scores) {
            Double value = part.apply(score);
            if (value != null) {
                sum += value;
                n++;
            }
        }
        return n == 0 ? null : sum / n;
    }

    private static double weighted(double weight, Double rate, String kind) {
        return weight == 0 ? 0 : weight * required(rate, kind);
    }

    private static double required(Double rate, String kind) {
        if (rate == null) {
            throw new IllegalArgumentException("no " + kind + " comparison in the scores, but its weight is not 0");
        }
        return rate;
    }

    private JointScore() {
    }
}
