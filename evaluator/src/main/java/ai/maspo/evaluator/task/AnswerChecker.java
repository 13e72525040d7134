package ai.maspo.evaluator.task;

import ai.maspo.evaluator.prompting.ReplyText;
import ai.maspo.evaluator.task.sandbox.PythonSandbox;
import ai.maspo.evaluator.task.sandbox.SandboxResult;
import ai.maspo.protocol.TaskDefinition;
import ai.maspo.protocol.TaskType;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/** The one entry point for deciding whether a terminal output answers a labelled question correctly. */
public final class AnswerChecker {

    private final PythonSandbox sandbox;
    private final ReferenceJudge judge;
    private final Duration casBound;

    /**
     * @param sandbox runs {@code unit_tests} checks; may be null when no task uses them
     * @param judge   decides {@code llm_judge} checks; may be null when no task uses them
     */
    public AnswerChecker(PythonSandbox sandbox, ReferenceJudge judge) {
        this(sandbox, judge, SymbolicEquivalence.DEFAULT_BOUND);
    }

    /** @param casBound the time bound of one symbolic comparison of math answers (beyond it: not equivalent) */
    public AnswerChecker(PythonSandbox sandbox, ReferenceJudge judge, Duration casBound) {
        this.sandbox = sandbox;
        this.judge = judge;
        this.casBound = casBound;
    }

    /**
     * @param question       the question text (only the LLM judge reads it)
     * @param terminalOutput the terminal agent's raw output
     * @param reference      the labelled answer (unused by {@code unit_tests})
     * @param testSpecJson   the question's {@link CodeTestSpec} JSON, required by {@code unit_tests}
     * @throws IllegalArgumentException for an unknown extraction rule or checker, or missing reference/test spec
     * @throws IllegalStateException    when the checker needs a sandbox or judge this instance lacks
     */
    public CheckResult check(TaskDefinition task, String question, String terminalOutput, String reference,
                             Optional<String> testSpecJson) {
        ExtractionRule rule = ExtractionRule.fromWire(task.extraction());
        CheckerKind kind = CheckerKind.fromWire(task.checker());
        String output = ReplyText.withoutReasoning(terminalOutput);
        if (output.isEmpty() || ReplyText.isRefusal(output)) {
            return new CheckResult(false, null, output.isEmpty() ? "empty output" : "the model refused to answer");
        }
        Optional<String> extracted = AnswerExtractor.extract(rule, output);
        if (kind == CheckerKind.LLM_JUDGE) {
            return judged(question, requireReference(reference, kind), extracted.orElse(output));
        }
        if (extracted.isEmpty()) {
            return new CheckResult(false, null, "no answer found by rule " + rule.wireName());
        }
        String answer = extracted.get();
        return switch (kind) {
            case EXACT -> exact(task.type(), answer, requireReference(reference, kind));
            case CHOICE -> choice(answer, requireReference(reference, kind));
            case UNIT_TESTS -> unitTests(answer, testSpecJson.orElseThrow(
                    () -> new IllegalArgumentException("checker unit_tests needs the question's test spec")));
            case LLM_JUDGE -> throw new AssertionError("handled above");
        };
    }

    /** The normalizer is the fast path; math answers it cannot match are compared symbolically. */
    private CheckResult exact(TaskType type, String answer, String reference) {
        if (type == TaskType.CHOICE) {
            return choice(answer, reference);
        }
        String detail = "normalized '" + MathNormalizer.normalize(answer) + "' vs '" + MathNormalizer.normalize(reference) + "'";
        if (MathNormalizer.equivalent(answer, reference) || plainText(answer).equals(plainText(reference))) {
            return new CheckResult(true, answer, detail);
        }
        boolean symbolic = type == TaskType.MATH && SymbolicEquivalence.equivalent(answer, reference, casBound);
        return new CheckResult(symbolic, answer, detail + (symbolic ? ", symbolically equal" : ""));
    }

    private static CheckResult choice(String answer, String reference) {
        Optional<String> letter = AnswerExtractor.letterOf(answer);
        String expected = AnswerExtractor.letterOf(reference).orElse(reference.strip().toUpperCase(Locale.ROOT));
        if (letter.isEmpty()) {
            return new CheckResult(false, answer, "no option letter in '" + answer + "'");
        }
        return new CheckResult(letter.get().equals(expected), letter.get(), "option " + letter.get() + " vs " + expected);
    }

    private CheckResult unitTests(String code, String testSpecJson) {
        if (sandbox == null) {
            throw new IllegalStateException("checker unit_tests needs a PythonSandbox");
        }
        CodeTestSpec spec = CodeTestSpec.fromJson(testSpecJson);
        SandboxResult result = sandbox.run(spec.candidateModule(code), spec.harnessStatements());
        return new CheckResult(result.passed(), code, result.outcome() + ": " + result.detail());
    }

    private CheckResult judged(String question, String reference, String answer) {
        if (judge == null) {
            throw new IllegalStateException("checker llm_judge needs a ReferenceJudge");
        }
        boolean verdict = judge.judge(question, reference, answer);
        return new CheckResult(verdict, answer, "judge said " + (verdict ? "True" : "False"));
    }

    private static String requireReference(String reference, CheckerKind kind) {
        if (reference == null || reference.isBlank()) {
            throw new IllegalArgumentException("checker " + kind.wireName() + " needs a reference answer");
        }
        return reference;
    }

    /** case, surrounding quotes/punctuation and runs of whitespace do not matter for free-text answers */
    private static String plainText(String text) {
        return text.strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").replaceAll("^[\"'`*]+|[\"'`*.!]+$", "");
    }
}
