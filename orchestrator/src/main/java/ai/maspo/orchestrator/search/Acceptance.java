package ai.maspo.orchestrator.search;

import java.util.List;

/**
 * Whether a scored prompt beats its reference, under the run's {@link Guards}: from the per-question joint values
 * R_q (whose mean is R), a normal confidence bound mean ± z · s/√n; without the bound guard z = 0, which is the
 * paper's R > 0. An open decision (the bound straddles 0, or a downstream rate is below 0.5 while R's bound is
 * above 0) is what an adaptive mini-batch extends; once no question is left, open means refused.
 */
public final class Acceptance {

    public enum Decision {
        ACCEPT, REJECT, OPEN
    }

    /** @param lowerBound R's lower confidence bound (R itself without the bound guard) */
    public record Verdict(Decision decision, double jointScore, double lowerBound, double upperBound, boolean harm) {
    }

    public static Verdict judge(List<QuestionScore> scores, JointWeights normalisedWeights, boolean terminal,
                                Guards guards) {
        double r = JointScore.of(scores, normalisedWeights, terminal);
        double z = guards.boundAcceptance() ? guards.confidence() : 0;
        double halfWidth = z == 0 ? 0 : z * standardError(scores, normalisedWeights, terminal, r);
        double lower = snapped(r - halfWidth);
        double upper = snapped(r + halfWidth);
        boolean harm = guards.doNoHarm() && !terminal && harms(JointScore.rates(scores));
        Decision decision;
        if (upper < 0 || (harm && lower <= 0)) {
            decision = Decision.REJECT;
        } else if (lower > 0 && !harm) {
            decision = Decision.ACCEPT;
        } else {
            decision = Decision.OPEN;
        }
        return new Verdict(decision, r, lower, upper, harm);
    }

    /**
     * R is a sum of weighted vote means and carries rounding error, so an exact tie must decide as 0: all votes 0.5 at
     * 4:4:2 summed to +2.8e-17, local 0.8 with lookahead and global 0.3 to +5.6e-17, and both were accepted as better
     * than their parent.
     */
    private static double snapped(double bound) {
        return Math.abs(bound) < 1e-12 ? 0 : bound;
    }

    /** The system's outputs were judged worse more often than better. */
    private static boolean harms(JointScore.Rates rates) {
        return (rates.lookahead() != null && rates.lookahead() < 0.5) || (rates.global() != null && rates.global() < 0.5);
    }

    /** s/√n of the per-question joint values (sample standard deviation); unbounded with one question. */
    private static double standardError(List<QuestionScore> scores, JointWeights w, boolean terminal, double mean) {
        int n = scores.size();
        if (n < 2) {
            return Double.POSITIVE_INFINITY;
        }
        double squares = 0;
        for (QuestionScore q : scores) {
            double d = JointScore.of(List.of(q), w, terminal) - mean;
            squares += d * d;
        }
        return Math.sqrt(squares / (n - 1) / n);
    }

    private Acceptance() {
    }
}
