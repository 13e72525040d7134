package ai.maspo.orchestrator.search;

import static ai.maspo.orchestrator.search.Preference.CANDIDATE;
import static ai.maspo.orchestrator.search.Preference.NONE;
import static ai.maspo.orchestrator.search.Preference.PARENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScoringTest {

    private static final JointWeights MASPO = JointWeights.PAPER.normalised();

    @Test
    void bothOrdersVote() {
        assertThat(BothOrdersVote.of(CANDIDATE, CANDIDATE)).isEqualTo(1);
        assertThat(BothOrdersVote.of(PARENT, PARENT)).isEqualTo(0);
        assertThat(BothOrdersVote.of(CANDIDATE, PARENT)).isEqualTo(0.5);
        assertThat(BothOrdersVote.of(PARENT, CANDIDATE)).isEqualTo(0.5);
        // Unparseable never makes a win, whatever the other order says.
        for (Preference other : Preference.values()) {
            assertThat(BothOrdersVote.of(NONE, other)).isLessThanOrEqualTo(0.5);
            assertThat(BothOrdersVote.of(other, NONE)).isLessThanOrEqualTo(0.5);
        }
    }

    private static QuestionScore q(String id, Double local, Map<String, Double> lookahead, Double global) {
        return new QuestionScore(id, local, lookahead, global);
    }

    @Test
    void jointScoreWeighsTheThreeRates() {
        List<QuestionScore> scores = List.of(
                q("q1", 1.0, Map.of("s1", 1.0, "s2", 0.0), 1.0),
                q("q2", 1.0, Map.of("s1", 0.5, "s2", 0.5), 0.0));
        // local 1, lookahead (0.5 + 0.5) / 2 = 0.5, global 0.5
        assertThat(JointScore.of(scores, MASPO, false)).isCloseTo(0.4 + 0.2 + 0.1 - 0.5, within(1e-12));
        assertThat(JointScore.rates(scores)).isEqualTo(new JointScore.Rates(1.0, 0.5, 0.5));
    }

    @Test
    void terminalAgentUsesTheGlobalRateOnly() {
        List<QuestionScore> scores = List.of(q("q1", null, Map.of(), 1.0), q("q2", null, Map.of(), 0.5));
        assertThat(JointScore.of(scores, MASPO, true)).isCloseTo(0.25, within(1e-12));
    }

    @Test
    void allTiesScoreZeroSoTheCandidateIsNotAccepted() {
        List<QuestionScore> ties = List.of(q("q1", 0.5, Map.of("s", 0.5), 0.5));
        assertThat(JointScore.of(ties, MASPO, false)).isCloseTo(0, within(1e-12));
        assertThat(Acceptance.judge(ties, MASPO, false, Guards.OFF).decision()).isNotEqualTo(Acceptance.Decision.ACCEPT);
    }

    @Test
    void aLocalWinExactlyOffsetByDownstreamLossesIsNotAccepted() {
        // 10 questions: local 0.8, lookahead and global 0.3, so R = 0.32 + 0.12 + 0.06 - 0.5 = 0 (summed: +5.6e-17)
        List<QuestionScore> scores = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            double downstream = i < 3 ? 1.0 : 0.0;
            scores.add(q("q" + i, i < 8 ? 1.0 : 0.0, Map.of("s", downstream), downstream));
        }
        assertThat(JointScore.rates(scores)).isEqualTo(new JointScore.Rates(0.8, 0.3, 0.3));
        assertThat(JointScore.of(scores, MASPO, false)).isCloseTo(0, within(1e-12));
        assertThat(Acceptance.judge(scores, MASPO, false, Guards.OFF).decision()).isNotEqualTo(Acceptance.Decision.ACCEPT);
    }

    @Test
    void zeroWeightKindsNeedNotBeAskedButWeightedOnesMust() {
        List<QuestionScore> localOnly = List.of(q("q1", 1.0, Map.of(), null));
        assertThat(JointScore.of(localOnly, new JointWeights(1, 0, 0), false)).isEqualTo(0.5);
        assertThatThrownBy(() -> JointScore.of(localOnly, MASPO, false)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void beamKeepsTheKBestDistinctPromptsWithStableTies() {
        List<BeamNode> pool = List.of(
                new BeamNode("n3", "p-a", 0.2, null),
                new BeamNode("n1", "p-b", 0.5, null),
                new BeamNode("n2", "p-a", 0.7, null),
                new BeamNode("n5", "p-c", 0.5, null),
                new BeamNode("n4", "p-d", 0.5, null));
        assertThat(Beam.select(pool, 3)).extracting(BeamNode::id).containsExactly("n2", "n1", "n4");
        assertThat(Beam.select(pool.reversed(), 3)).isEqualTo(Beam.select(pool, 3));
        assertThat(Beam.select(pool, 10)).extracting(BeamNode::prompt).containsExactly("p-a", "p-b", "p-d", "p-c");
    }

    @Test
    void minesMisalignmentByPriorityThenMinibatchOrder() {
        List<QuestionScore> scores = List.of(
                q("global-lost", 1.0, Map.of("s", 0.5), 0.0),
                q("lookahead-lost", 1.0, Map.of("s", 0.0), 0.5),
                q("not-local-win", 0.5, Map.of("s", 0.0), 0.0),
                q("both-lost", 1.0, Map.of("s", 0.0), 0.0),
                q("aligned", 1.0, Map.of("s", 1.0), 1.0),
                q("lookahead-lost-2", 1.0, Map.of("s", 0.0), 1.0));
        assertThat(MisalignmentMiner.cases(scores, SamplingMode.MISALIGNMENT, 3)).containsExactly(
                new MemoryCase("both-lost", CaseKind.BOTH_LOST),
                new MemoryCase("lookahead-lost", CaseKind.LOOKAHEAD_LOST),
                new MemoryCase("lookahead-lost-2", CaseKind.LOOKAHEAD_LOST));
        assertThat(MisalignmentMiner.cases(scores, SamplingMode.SUCCESS, 3)).containsExactly(
                new MemoryCase("aligned", CaseKind.BOTH_WON),
                new MemoryCase("lookahead-lost-2", CaseKind.GLOBAL_WON));
        assertThat(MisalignmentMiner.cases(scores, SamplingMode.NONE, 3)).isEmpty();
        assertThat(MisalignmentMiner.cases(scores, SamplingMode.MISALIGNMENT, 0)).isEmpty();
    }

    @Test
    void misalignmentRateCountsOnlyRandomlyDrawnQuestions() {
        List<QuestionScore> scores = List.of(
                q("a", 1.0, Map.of("s", 0.0), 0.0),
                q("b", 1.0, Map.of("s", 0.0), 0.0),
                q("c", 0.0, Map.of("s", 0.0), 0.0),
                q("d", 1.0, Map.of("s", 1.0), 1.0));
        MisalignmentMiner.Rate rate = MisalignmentMiner.rate(scores, Set.of("a"));
        assertThat(rate).isEqualTo(new MisalignmentMiner.Rate(1, 3));
        assertThat(rate.rate()).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(MisalignmentMiner.rate(List.of(), Set.of()).rate()).isZero();
    }

    @Test
    void acceptanceUnderThePaperRuleAndUnderEachGuard() {
        // A trap's signature: wins locally every time, the system's output loses on 5 of 10 questions, wins on 3.
        List<QuestionScore> trap = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            double down = i < 5 ? 0 : i < 7 ? 0.5 : 1;
            trap.add(q("q" + i, 1.0, Map.of("critic", down), down));
        }
        // R = 0.4 + 0.6 * 0.4 - 0.5 = +0.14 with the global rate 0.4 < 0.5
        Acceptance.Verdict paper = Acceptance.judge(trap, MASPO, false, Guards.OFF);
        assertThat(paper.jointScore()).isCloseTo(0.14, within(1e-9));
        assertThat(paper.decision()).isEqualTo(Acceptance.Decision.ACCEPT);
        assertThat(paper.lowerBound()).isEqualTo(paper.jointScore());
        Acceptance.Verdict harm = Acceptance.judge(trap, MASPO, false, new Guards(false, 0, true, false, 0));
        assertThat(harm.harm()).isTrue();
        assertThat(harm.decision()).as("R > 0 but the system lost: open, for more questions to settle")
                .isEqualTo(Acceptance.Decision.OPEN);
        // The bound: R_q = -0.1 (5x), 0.2 (2x), 0.5 (3x): s/sqrt(10) = 0.087
        Acceptance.Verdict bound = Acceptance.judge(trap, MASPO, false, new Guards(true, 1, false, false, 0));
        assertThat(standardError(trap)).isCloseTo(0.0872, within(1e-4));
        assertThat(bound.lowerBound()).isCloseTo(0.14 - standardError(trap), within(1e-9));
        assertThat(bound.decision()).isEqualTo(Acceptance.Decision.ACCEPT);
        assertThat(Acceptance.judge(trap, MASPO, false, new Guards(true, 1.645, false, false, 0)).decision())
                .isEqualTo(Acceptance.Decision.OPEN);
        // Clearly worse: the upper bound is below 0, whatever the guards.
        List<QuestionScore> worse = List.of(q("a", 0.0, Map.of("critic", 0.0), 0.0), q("b", 0.5, Map.of("critic", 0.0), 0.0),
                q("c", 0.0, Map.of("critic", 0.5), 0.5));
        assertThat(Acceptance.judge(worse, MASPO, false, new Guards(true, 1.645, true, true, 20)).decision())
                .isEqualTo(Acceptance.Decision.REJECT);
        // Harm with a bound that does not clear 0 is refused at once.
        assertThat(Acceptance.judge(trap, MASPO, false, new Guards(true, 1.645, true, true, 20)).decision())
                .isEqualTo(Acceptance.Decision.REJECT);
        // The terminal agent has no downstream: its own (global) vote is R.
        List<QuestionScore> terminal = List.of(q("a", null, Map.of(), 0.0), q("b", null, Map.of(), 0.0));
        assertThat(Acceptance.judge(terminal, MASPO, true, new Guards(false, 0, true, false, 0)).decision())
                .isEqualTo(Acceptance.Decision.REJECT);
    }

    private static double standardError(List<QuestionScore> scores) {
        double[] r = scores.stream().mapToDouble(q -> JointScore.of(List.of(q), MASPO, false)).toArray();
        double mean = java.util.Arrays.stream(r).average().orElseThrow();
        double ss = java.util.Arrays.stream(r).map(x -> (x - mean) * (x - mean)).sum();
        return Math.sqrt(ss / (r.length - 1) / r.length);
    }
}
