package ai.maspo.orchestrator.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TemplatesAndSeedsTest {

    private static ProposalVerdict validate(String proposal) {
        return ProposalValidator.validate(proposal, "Solve {question}", false, List.of("Solve {question}"));
    }

    @Test
    void latexBracesAreEscapedNotRejected() {
        assertThat(validate("Solve {question}. Write \\frac{1}{2} as \\boxed{answer}, x^{n}, {a, b}."))
                .isEqualTo(new ProposalVerdict.Accepted(
                        "Solve {question}. Write \\frac{{1}}{{2}} as \\boxed{{answer}}, x^{{n}}, {{a, b}}."));
    }

    @Test
    void normalisingIsIdempotent() {
        String once = TemplateGrammar.normalise("A {question} \\frac{a}{b} } {{x}} {").template();
        assertThat(TemplateGrammar.normalise(once).template()).isEqualTo(once);
        assertThat(once).isEqualTo("A {question} \\frac{{a}}{{b}} }} {{x}} {{");
    }

    @Test
    void rejectsByReason() {
        assertThat(validate(null)).isEqualTo(new ProposalVerdict.Rejected(RejectionReason.UNPARSEABLE, "no prompt in the reply"));
        assertThat(reason(validate("  "))).isEqualTo(RejectionReason.UNPARSEABLE);
        assertThat(reason(validate("Solve the question."))).isEqualTo(RejectionReason.MISSING_QUESTION);
        assertThat(reason(validate("Solve {{question}}."))).isEqualTo(RejectionReason.MISSING_QUESTION);
        assertThat(reason(validate("Solve {question}, reply {answer}"))).isEqualTo(RejectionReason.UNKNOWN_PLACEHOLDER);
        assertThat(reason(validate("Solve {question} using {context}")))
                .isEqualTo(RejectionReason.CONTEXT_WITHOUT_PREDECESSORS);
        assertThat(reason(validate("  Solve {question}\n"))).isEqualTo(RejectionReason.DUPLICATE);
        assertThat(reason(ProposalValidator.validate("Answer {question}", "Read {context}; {question}", true, List.of())))
                .isEqualTo(RejectionReason.LOST_CONTEXT);
        assertThat(ProposalValidator.validate("Critique {context}, then {question}", "Read {context}; {question}", true,
                List.of())).isInstanceOf(ProposalVerdict.Accepted.class);
    }

    private static RejectionReason reason(ProposalVerdict verdict) {
        return ((ProposalVerdict.Rejected) verdict).reason();
    }

    @Test
    void seedsDependOnEveryPartAndAreStable() {
        long a = Seeds.derive(42, "propose", "solver", "3");
        assertThat(Seeds.derive(42, "propose", "solver", "3")).isEqualTo(a);
        assertThat(Set.of(a, Seeds.derive(43, "propose", "solver", "3"), Seeds.derive(42, "score", "solver", "3"),
                Seeds.derive(42, "propose", "solver", "4"), Seeds.derive(42, "propose", "solve", "r3"))).hasSize(5);
        // Pinned value: a change of the derivation would silently change every run's randomness.
        assertThat(a).isEqualTo(-2008583078029014367L);
    }

    @Test
    void samplesAreUniformEnough() {
        int[] counts = new int[10];
        List<Integer> items = IntStream.range(0, 10).boxed().toList();
        for (int run = 0; run < 20_000; run++) {
            for (int picked : Seeds.sample(items, 3, Seeds.derive(1, Integer.toString(run)))) {
                counts[picked]++;
            }
        }
        // Each item is expected 6,000 times; 5 standard deviations is about ±330.
        for (int count : counts) {
            assertThat(count).isBetween(5_670, 6_330);
        }
    }

    @Test
    void sampleIsDistinctAndBounded() {
        List<String> items = List.of("a", "b", "c");
        List<String> all = Seeds.sample(items, 5, 9);
        assertThat(new HashSet<>(all)).containsExactlyInAnyOrderElementsOf(items);
        assertThat(Seeds.sample(new ArrayList<>(items), 2, 9)).isEqualTo(Seeds.sample(items, 2, 9)).hasSize(2);
    }

    @Test
    void scheduleInterleavesTurnsAndRefreshesOnRevisits() {
        List<ScheduleStep> steps = CoordinateAscentSchedule.build(List.of("a", "b"), 5, 2, true);
        assertThat(steps).containsExactly(
                new ScheduleStep.Layer("a", 1), new ScheduleStep.Layer("a", 2),
                new ScheduleStep.Layer("b", 1), new ScheduleStep.Layer("b", 2),
                new ScheduleStep.Refresh("a", 2), new ScheduleStep.Layer("a", 3), new ScheduleStep.Layer("a", 4),
                new ScheduleStep.Refresh("b", 2), new ScheduleStep.Layer("b", 3), new ScheduleStep.Layer("b", 4),
                new ScheduleStep.Refresh("a", 3), new ScheduleStep.Layer("a", 5),
                new ScheduleStep.Refresh("b", 3), new ScheduleStep.Layer("b", 5));
    }

    @Test
    void scheduleWithoutRefreshOrWithOneAgentOrTEqualsD() {
        assertThat(CoordinateAscentSchedule.build(List.of("a", "b"), 9, 3, false))
                .hasSize(18).noneMatch(s -> s instanceof ScheduleStep.Refresh);
        assertThat(CoordinateAscentSchedule.build(List.of("a"), 9, 3, true))
                .hasSize(9).noneMatch(s -> s instanceof ScheduleStep.Refresh);
        assertThat(CoordinateAscentSchedule.build(List.of("a", "b", "c"), 4, 4, true)).extracting(ScheduleStep::agent)
                .containsExactly("a", "a", "a", "a", "b", "b", "b", "b", "c", "c", "c", "c");
    }
}
