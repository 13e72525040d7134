package ai.maspo.evaluator.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.maspo.evaluator.task.sandbox.PythonSandbox;
import ai.maspo.protocol.TaskDefinition;
import ai.maspo.protocol.TaskType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AnswerCheckerTest {

    private static final TaskDefinition MATH = new TaskDefinition(TaskType.MATH, "boxed", "solve", "exact");
    private static final TaskDefinition CHOICE = new TaskDefinition(TaskType.CHOICE, "choice_letter", "pick", "choice");
    private static final TaskDefinition CODE = new TaskDefinition(TaskType.CODE, "code_block", "write", "unit_tests");
    private static final TaskDefinition OPEN = new TaskDefinition(TaskType.OPEN, "answer_tag", "answer", "llm_judge");

    @Test
    void exactMatchAfterNormalization() {
        AnswerChecker checker = new AnswerChecker(null, null);
        CheckResult right = checker.check(MATH, "q", "so \\boxed{\\dfrac{1}{2}}", "\\frac12", Optional.empty());
        assertThat(right.correct()).isTrue();
        assertThat(right.extractedAnswer()).isEqualTo("\\dfrac{1}{2}");
        assertThat(checker.check(MATH, "q", "so \\boxed{\\frac{1}{3}}", "\\frac12", Optional.empty()).correct()).isFalse();
        CheckResult none = checker.check(MATH, "q", "no idea", "\\frac12", Optional.empty());
        assertThat(none.correct()).isFalse();
        assertThat(none.extractedAnswer()).isNull();
    }

    @Test
    void exactOnFreeTextIgnoresCaseAndTrailingPunctuation() {
        TaskDefinition open = new TaskDefinition(TaskType.OPEN, "answer_tag", "answer", "exact");
        AnswerChecker checker = new AnswerChecker(null, null);
        assertThat(checker.check(open, "q", "<answer>Paris.</answer>", "paris", Optional.empty()).correct()).isTrue();
        assertThat(checker.check(open, "q", "<answer>Lyon</answer>", "paris", Optional.empty()).correct()).isFalse();
    }

    @Test
    void choiceComparesOptionLetters() {
        AnswerChecker checker = new AnswerChecker(null, null);
        assertThat(checker.check(CHOICE, "q", "The answer is (C) 600.", "C", Optional.empty()).correct()).isTrue();
        CheckResult wrong = checker.check(CHOICE, "q", "<answer>B</answer>", "C", Optional.empty());
        assertThat(wrong.correct()).isFalse();
        assertThat(wrong.extractedAnswer()).isEqualTo("B");
    }

    @Test
    void unitTestsRunTheExtractedCodeInTheSandbox() {
        AnswerChecker checker = new AnswerChecker(new PythonSandbox(), null);
        String spec = """
                {"imports":["import math"],"tests":["assert hyp(3, 4) == 5"],"entryPoint":"hyp","stub":null}""";
        String good = "```python\ndef hyp(a, b):\n    return math.sqrt(a * a + b * b)\n```";
        String bad = "```python\ndef hyp(a, b):\n    return a + b\n```";
        assertThat(checker.check(CODE, "q", good, null, Optional.of(spec)).correct()).isTrue();
        CheckResult failed = checker.check(CODE, "q", bad, null, Optional.of(spec));
        assertThat(failed.correct()).isFalse();
        assertThat(failed.detail()).startsWith("FAILED");
        assertThatThrownBy(() -> checker.check(CODE, "q", good, null, Optional.empty())).hasMessageContaining("test spec");
    }

    @Test
    void llmJudgeReceivesQuestionReferenceAndExtractedAnswer() {
        List<List<String>> calls = new ArrayList<>();
        ReferenceJudge judge = (question, reference, answer) -> {
            calls.add(List.of(question, reference, answer));
            return answer.contains("Paris");
        };
        AnswerChecker checker = new AnswerChecker(null, judge);
        assertThat(checker.check(OPEN, "Capital of France?", "It is <answer>Paris</answer>", "Paris", Optional.empty()).correct()).isTrue();
        assertThat(checker.check(OPEN, "Capital of France?", "Probably Lyon", "Paris", Optional.empty()).correct()).isFalse();
        assertThat(calls).containsExactly(List.of("Capital of France?", "Paris", "Paris"),
                List.of("Capital of France?", "Paris", "Probably Lyon"));
    }

    @Test
    void missingCollaboratorsAndReferencesAreReported() {
        AnswerChecker checker = new AnswerChecker(null, null);
        assertThatThrownBy(() -> checker.check(OPEN, "q", "x", "y", Optional.empty())).hasMessageContaining("ReferenceJudge");
        assertThatThrownBy(() -> checker.check(MATH, "q", "\\boxed{1}", null, Optional.empty())).hasMessageContaining("reference");
        assertThatThrownBy(() -> checker.check(new TaskDefinition(TaskType.MATH, "regex", "r", "exact"), "q", "x", "1", Optional.empty()))
                .hasMessageContaining("unknown extraction rule");
    }
}
