package ai.maspo.evaluator.task;

import static org.assertj.core.api.Assertions.assertThat;

import ai.maspo.evaluator.task.sandbox.PythonSandbox;
import ai.maspo.evaluator.task.sandbox.SandboxLimits;
import ai.maspo.evaluator.task.sandbox.SandboxOutcome;
import ai.maspo.evaluator.task.sandbox.SandboxResult;
import ai.maspo.protocol.TaskDefinition;
import ai.maspo.protocol.TaskType;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Extractors and checkers against the six benchmark files' own reference answers and solutions.
 * Rates that are not 100% are printed and bounded from below by what was measured (see docs/task-formats.md).
 * The sandboxed runs use every third row unless {@code -Dmaspo.datasets.full=true} (all 591 programs take
 * minutes on a loaded 2-core machine); the broken-code runs use every fourth row of that.
 */
class DatasetReferenceAnswersTest {

    private static final TaskDefinition MATH = new TaskDefinition(TaskType.MATH, "boxed", "r", "exact");
    private static final TaskDefinition MATH_TAGGED = new TaskDefinition(TaskType.MATH, "answer_tag", "r", "exact");
    private static final TaskDefinition CHOICE = new TaskDefinition(TaskType.CHOICE, "choice_letter", "r", "choice");
    private static final boolean FULL = Boolean.getBoolean("maspo.datasets.full");
    private static final Pattern DEFINED_FUNCTION = Pattern.compile("(?m)^def\\s+(\\w+)\\s*\\(");

    private static PythonSandbox sandbox;
    private static ExecutorService pool;
    private final AnswerChecker checker = new AnswerChecker(null, null);

    @BeforeAll
    static void start() {
        sandbox = new PythonSandbox();
        pool = Executors.newFixedThreadPool(3);
    }

    @AfterAll
    static void stop() {
        pool.shutdownNow();
    }

    @Test
    void math500BoxedSolutionsMatchTheirAnswers() {
        List<JsonNode> rows = SharedDatasets.rows("math-500/math_500.jsonl");
        assertThat(rows).hasSize(500);
        assertReferenceAgreement("MATH-500", rows, 1.0);
    }

    @Test
    void agievalMathBoxedSolutionsMatchTheirAnswers() {
        List<JsonNode> rows = SharedDatasets.rows("AGIEval_MATH/test.jsonl");
        assertThat(rows).hasSize(256);
        assertReferenceAgreement("AGIEval-MATH", rows, 0.95);
    }

    /** the solution's boxed answer is accepted, the next problem's answer is not, and restyled answers are accepted */
    private void assertReferenceAgreement(String name, List<JsonNode> rows, double minimumRate) {
        int agree = 0;
        int wrongAccepted = 0;
        int restyledAccepted = 0;
        List<String> disagreements = new ArrayList<>();
        List<String> restyledRejected = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            String answer = rows.get(i).get("answer").asText();
            CheckResult own = checker.check(MATH, "q", rows.get(i).get("solution").asText(), answer, Optional.empty());
            if (own.correct()) {
                agree++;
            } else {
                disagreements.add(own.extractedAnswer() + " vs " + answer);
            }
            String other = rows.get((i + 1) % rows.size()).get("answer").asText();
            if (!other.strip().equals(answer.strip())
                    && checker.check(MATH, "q", "\\boxed{" + other + "}", answer, Optional.empty()).correct()) {
                wrongAccepted++;
            }
            if (checker.check(MATH_TAGGED, "q", "Step 1: think.\n<answer>$" + restyle(answer) + "$</answer>", answer, Optional.empty()).correct()) {
                restyledAccepted++;
            } else {
                restyledRejected.add(restyle(answer) + " => " + MathNormalizer.normalize(restyle(answer)) + " vs " + MathNormalizer.normalize(answer));
            }
        }
        System.out.printf("%s: boxed solution == answer %d/%d; restyled accepted %d/%d; neighbour's answer accepted %d; disagreements %s; restyled rejected %s%n",
                name, agree, rows.size(), restyledAccepted, rows.size(), wrongAccepted, disagreements, restyledRejected);
        assertThat((double) agree / rows.size()).isGreaterThanOrEqualTo(minimumRate);
        assertThat(restyledAccepted).isEqualTo(rows.size());
        assertThat(wrongAccepted).isLessThanOrEqualTo(rows.size() / 100);
    }

    /** the same answer as an agent might write it: \dfrac, \left( \right), extra spaces */
    private static String restyle(String answer) {
        return " " + answer.replace("\\frac", "\\dfrac").replace("(", "\\left( ").replace(")", " \\right)").replaceAll(",(?![\\d\\\\])", ", ") + " ";
    }

    @Test
    void aquaRationalesEndInTheCorrectLetter() {
        for (String split : List.of("aqua/test.jsonl", "aqua/val.jsonl")) {
            List<JsonNode> rows = SharedDatasets.rows(split);
            assertThat(rows).hasSize(254);
            int found = 0;
            int correct = 0;
            for (JsonNode row : rows) {
                CheckResult result = checker.check(CHOICE, "q", row.get("rationale").asText(), row.get("correct").asText(), Optional.empty());
                found += result.extractedAnswer() != null && result.extractedAnswer().length() == 1 ? 1 : 0;
                correct += result.correct() ? 1 : 0;
            }
            System.out.printf("AQuA %s: letter extracted from rationale %d/%d, equal to 'correct' %d/%d%n", split, found, rows.size(), correct, rows.size());
            assertThat(correct).isGreaterThanOrEqualTo(rows.size() * 3 / 4);
        }
    }

    @Test
    void gpqaLettersAreCheckedInEveryAnswerStyle() {
        List<JsonNode> rows = SharedDatasets.rows("gpqa/gpqa_diamond.jsonl");
        assertThat(rows).hasSize(198);
        List<Function<String, String>> styles = List.of(letter -> "<answer>" + letter + "</answer>",
                letter -> "Reasoning...\nThe answer is (" + letter + ").", letter -> "$\\boxed{" + letter + "}$",
                letter -> "Answer: " + letter);
        for (JsonNode row : rows) {
            String letter = row.get("answer").asText();
            String wrong = String.valueOf((char) ('A' + (letter.charAt(0) - 'A' + 1) % 4));
            assertThat(row.get("question").asText()).contains("\n" + letter + ". ");
            for (Function<String, String> style : styles) {
                assertThat(checker.check(CHOICE, "q", style.apply(letter), letter, Optional.empty()).correct()).isTrue();
                assertThat(checker.check(CHOICE, "q", style.apply(wrong), letter, Optional.empty()).correct()).isFalse();
            }
        }
    }

    @Test
    void mbppReferenceCodePassesItsTestsAndBrokenCodeFails() throws Exception {
        List<JsonNode> rows = SharedDatasets.rows("mbpp/sanitized-mbpp.jsonl");
        assertThat(rows).hasSize(427);
        long started = System.nanoTime();
        List<JsonNode> runRows = everyNth(rows, FULL ? 1 : 3);
        List<SandboxResult> reference = runReferences(runRows, (row, limits) -> sandboxRun(mbppSpec(row), row.get("code").asText(), limits));
        List<SandboxResult> broken = runAll(everyNth(runRows, 4), row -> sandboxRun(mbppSpec(row), breakFunctions(row.get("code").asText())));
        report("MBPP", runRows, reference, broken, started);
        assertThat(passRate(reference)).isGreaterThanOrEqualTo(0.99);
        assertThat(broken).noneMatch(SandboxResult::passed);
    }

    @Test
    void humanEvalEtCanonicalSolutionsPassTheirTestsAndBrokenOnesFail() throws Exception {
        List<JsonNode> rows = SharedDatasets.rows("humaneval-et/HumanEval_ET.jsonl");
        assertThat(rows).hasSize(164);
        long started = System.nanoTime();
        // the canonical solution is a body: CodeTestSpec prepends the stub because the entry point is not defined
        List<JsonNode> runRows = everyNth(rows, FULL ? 1 : 3);
        List<SandboxResult> reference = runReferences(runRows, (row, limits) -> sandboxRun(humanEvalSpec(row), row.get("canonical_solution").asText(), limits));
        List<SandboxResult> broken = runAll(everyNth(runRows, 4), row -> sandboxRun(humanEvalSpec(row), "    return None\n"));
        report("HumanEval-ET", runRows, reference, broken, started);
        // measured over all 164 with the 10 s limit alone: 154 pass; 6 ET test lists are defective (undefined names,
        // a float-precision assert) and 4 need more than 10 s on a loaded machine (see docs/task-formats.md)
        assertThat(passRate(reference)).isGreaterThanOrEqualTo(0.90);
        assertThat(broken).noneMatch(SandboxResult::passed);
    }

    private static SandboxResult sandboxRun(CodeTestSpec spec, String candidate, SandboxLimits limits) {
        return sandbox.run(spec.candidateModule(candidate), spec.harnessStatements(), limits);
    }

    private static SandboxResult sandboxRun(CodeTestSpec spec, String candidate) {
        return sandboxRun(spec, candidate, sandbox.limits());
    }

    private static CodeTestSpec mbppSpec(JsonNode row) {
        return new CodeTestSpec(texts(row.get("test_imports")), texts(row.get("test_list")), null, null);
    }

    private static CodeTestSpec humanEvalSpec(JsonNode row) {
        return new CodeTestSpec(List.of(), texts(row.get("test_list")), row.get("entry_point").asText(), row.get("prompt").asText());
    }

    /** every function the solution defines now returns None */
    private static String breakFunctions(String code) {
        StringBuilder broken = new StringBuilder(code).append("\n\n");
        Matcher m = DEFINED_FUNCTION.matcher(code);
        while (m.find()) {
            broken.append("def ").append(m.group(1)).append("(*args, **kwargs):\n    return None\n\n");
        }
        return broken.toString();
    }

    private static List<JsonNode> everyNth(List<JsonNode> rows, int n) {
        return IntStream.range(0, rows.size()).filter(i -> i % n == 0).mapToObj(rows::get).toList();
    }

    private static List<SandboxResult> runAll(List<JsonNode> rows, Function<JsonNode, SandboxResult> run) throws Exception {
        List<Future<SandboxResult>> futures = rows.stream().map(row -> pool.submit(() -> run.apply(row))).toList();
        List<SandboxResult> results = new ArrayList<>();
        for (Future<SandboxResult> future : futures) {
            results.add(future.get());
        }
        return results;
    }

    /**
     * A reference solution that timed out among parallel runs gets one more run alone with a 60 s limit: slow rows
     * need 9–27 s on a loaded machine, and the pass rate should measure the checker, not the machine's load.
     */
    private static List<SandboxResult> runReferences(List<JsonNode> rows, BiFunction<JsonNode, SandboxLimits, SandboxResult> run)
            throws Exception {
        List<SandboxResult> results = runAll(rows, row -> run.apply(row, sandbox.limits()));
        for (int i = 0; i < results.size(); i++) {
            if (results.get(i).outcome() == SandboxOutcome.TIMED_OUT) {
                results.set(i, run.apply(rows.get(i), sandbox.limits().withWallClock(Duration.ofSeconds(60))));
            }
        }
        return results;
    }

    private static void report(String name, List<JsonNode> rows, List<SandboxResult> reference, List<SandboxResult> broken, long started) {
        List<String> failures = IntStream.range(0, rows.size()).filter(i -> !reference.get(i).passed())
                .mapToObj(i -> rows.get(i).get("task_id").asText() + " " + reference.get(i).outcome() + " " + reference.get(i).detail())
                .toList();
        System.out.printf("%s: reference passes %d/%d, broken passes %d/%d, %.1f s (%s); failures %s%n", name,
                reference.stream().filter(SandboxResult::passed).count(), rows.size(),
                broken.stream().filter(SandboxResult::passed).count(), broken.size(),
                (System.nanoTime() - started) / 1e9, sandbox.isolation(), failures);
    }

    private static double passRate(List<SandboxResult> results) {
        return (double) results.stream().filter(SandboxResult::passed).count() / results.size();
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }
}
