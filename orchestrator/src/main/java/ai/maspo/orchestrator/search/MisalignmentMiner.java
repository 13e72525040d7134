package ai.maspo.orchestrator.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Finds the questions where a candidate won locally (vote 1) but lost downstream: lookahead lost = mean successor
 * vote below 0.5, global lost = terminal vote below 0.5. The success variant mirrors it with "above 0.5".
 */
public final class MisalignmentMiner {

    /** Misaligned questions among the randomly drawn ones; {@code rate} is 0 when nothing was drawn. */
    public record Rate(int misaligned, int drawn) {
        public double rate() {
            return drawn == 0 ? 0 : (double) misaligned / drawn;
        }
    }

    /** The top {@code limit} cases by priority, then by position in the mini-batch ({@code scores} order). */
    public static List<MemoryCase> cases(List<QuestionScore> scores, SamplingMode mode, int limit) {
        List<MemoryCase> cases = new ArrayList<>();
        for (QuestionScore score : scores) {
            CaseKind kind = switch (mode) {
                case MISALIGNMENT -> misalignment(score);
                case SUCCESS -> success(score);
                case NONE -> null;
            };
            if (kind != null) {
                cases.add(new MemoryCase(score.questionId(), kind));
            }
        }
        // Stable sort: equal kinds keep their mini-batch order.
        cases.sort(Comparator.comparing(MemoryCase::kind));
        return List.copyOf(cases.subList(0, Math.min(limit, cases.size())));
    }

    /** Misalignment over the questions that were not injected from memory (those are misaligned by selection). */
    public static Rate rate(List<QuestionScore> scores, Set<String> injected) {
        int misaligned = 0;
        int drawn = 0;
        for (QuestionScore score : scores) {
            if (!injected.contains(score.questionId())) {
                drawn++;
                if (misalignment(score) != null) {
                    misaligned++;
                }
            }
        }
        return new Rate(misaligned, drawn);
    }

    static CaseKind misalignment(QuestionScore score) {
        if (!wonLocally(score)) {
            return null;
        }
        boolean lookaheadLost = below(score.lookaheadMean());
        boolean globalLost = below(score.global());
        if (lookaheadLost && globalLost) {
            return CaseKind.BOTH_LOST;
        }
        return lookaheadLost ? CaseKind.LOOKAHEAD_LOST : globalLost ? CaseKind.GLOBAL_LOST : null;
    }

    static CaseKind success(QuestionScore score) {
        if (!wonLocally(score)) {
            return null;
        }
        boolean lookaheadWon = above(score.lookaheadMean());
        boolean globalWon = above(score.global());
        if (lookaheadWon && globalWon) {
            return CaseKind.BOTH_WON;
        }
        return lookaheadWon ? CaseKind.LOOKAHEAD_WON : globalWon ? CaseKind.GLOBAL_WON : null;
    }

    private static boolean wonLocally(QuestionScore score) {
        return score.local() != null && score.local() == 1.0;
    }

    private static boolean below(Double vote) {
        return vote != null && vote < 0.5;
    }

    private static boolean above(Double vote) {
        return vote != null && vote > 0.5;
    }

    private MisalignmentMiner() {
    }
}
