package ai.maspo.orchestrator.domain;

import ai.maspo.protocol.AnswerCheck;
import ai.maspo.protocol.TaskType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkEstimateTest {

    private static final RunSpec.Mas REFLECT = new RunSpec.Mas(List.of(
            new RunSpec.Agent("predictor", null, null, "Solve.\n{question}", null),
            new RunSpec.Agent("reflector", null, null, "Check.\n{question}\n{context}", null)),
            List.of(new RunSpec.EdgeSpec("predictor", "reflector")), null, null, null);

    @Test
    void thePaperSettingsOnTheReflectSystem() {
        // per layer: predictor 2·10·2 + 2·2 + 4·10·(2 + 2·2) = 284, reflector 40 + 4 + 4·10·(2 + 2·1) = 204;
        // 9 layers each and 2 refreshes each of one node (60 and 40 calls): 4,592; test 2·20·2 = 80
        assertThat(WorkEstimate.of(RunSpecValidator.validate(spec(20, 20, null, null, AnswerCheck.EXACT))))
                .isEqualTo(new WorkEstimate(4_592, 80));
        assertThat(WorkEstimate.of(RunSpecValidator.validate(spec(20, 20, "spo", null, AnswerCheck.LLM_JUDGE))))
                .as("spo: K = C = 1, B = 3, no refresh; the judge checks each test answer")
                .isEqualTo(new WorkEstimate(9 * (3 * 2 + 1 + 3 * 6) + 9 * (3 * 2 + 1 + 3 * 4), 2 * 20 * 3));
    }

    @Test
    void theCeilingRefusesALargeUnbudgetedRunNamingTheBudgetAndTheEstimate() {
        WorkCeiling ceiling = new WorkCeiling(4_000);
        assertThatThrownBy(() -> ceiling.check(RunSpecValidator.validate(spec(20, 20, null, null, AnswerCheck.EXACT))))
                .isInstanceOfSatisfying(InvalidRunSpecException.class, e -> {
                    assertThat(e.errors()).singleElement().satisfies(error -> {
                        assertThat(error.field()).isEqualTo("budget.maxLlmCalls");
                        assertThat(error.message()).contains("4672", "search 4592", "test 80", "4000");
                    });
                });
        assertThatCode(() -> ceiling.check(RunSpecValidator.validate(spec(20, 20, null, 1_000L, AnswerCheck.EXACT))))
                .as("an explicit budget stops the search").doesNotThrowAnyException();
        assertThatThrownBy(() -> new WorkCeiling(70).check(RunSpecValidator.validate(spec(20, 20, null, 1_000L,
                AnswerCheck.EXACT)))).isInstanceOfSatisfying(InvalidRunSpecException.class, e ->
                assertThat(e.errors().getFirst().field()).as("the budget does not stop the test evaluation").isEqualTo("data.test"));
    }

    @Test
    void theLargestSpecIsEstimatedAtOnceWithoutOverflow() {
        RunSpec.Search max = new RunSpec.Search("maspo", Limits.BEAM_WIDTH, Limits.CANDIDATES, Limits.MINIBATCH,
                Limits.LAYERS, 1, null, Limits.CASES, Limits.INJECTED, 1L, null);
        RunSpec spec = withSearch(spec(Limits.QUESTIONS, Limits.QUESTIONS, null, null, AnswerCheck.LLM_JUDGE), max);
        long started = System.nanoTime();
        WorkEstimate estimate = WorkEstimate.of(RunSpecValidator.validate(spec));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        assertThat(estimate.search()).isGreaterThan(50_000_000L);
        assertThat(estimate.total()).isPositive();
    }

    private static RunSpec spec(int pool, int test, String strategy, Long maxLlmCalls, AnswerCheck checker) {
        List<RunSpec.QuestionSpec> poolQuestions = IntStream.range(0, pool)
                .mapToObj(i -> new RunSpec.QuestionSpec("p" + i, "question " + i, null, null)).toList();
        List<RunSpec.QuestionSpec> testQuestions = IntStream.range(0, test)
                .mapToObj(i -> new RunSpec.QuestionSpec("t" + i, "test question " + i, "1", null)).toList();
        return new RunSpec("t", REFLECT, new RunSpec.Task(TaskType.MATH, null, null, checker),
                new RunSpec.Data(poolQuestions, testQuestions, null), new RunSpec.Models(new RunSpec.ModelSpec("m", null, null, null, null, null, null, null, null), null, null),
                new RunSpec.Search(strategy, null, null, null, null, null, null, null, null, null, null),
                maxLlmCalls == null ? null : new RunSpec.Budget(maxLlmCalls, null, null, null));
    }

    private static RunSpec withSearch(RunSpec spec, RunSpec.Search search) {
        return new RunSpec(spec.name(), spec.mas(), spec.task(), spec.data(), spec.models(), search, spec.budget());
    }
}
