package ai.maspo.evaluator.task;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JudgePromptsTest {

    @Test
    void promptCarriesQuestionReferenceAndAnswerAndAsksForTrueOrFalse() {
        String prompt = JudgePrompts.correctnessPrompt("#q0007 What is 6*7?", "42", "forty-two");
        assertThat(prompt).contains("#q0007 What is 6*7?", "Reference answer:\n42", "Candidate answer:\nforty-two", "True or False");
    }

    @Test
    void verdictIsReadFromTheConclusion() {
        assertThat(JudgePrompts.parseVerdict("True")).contains(true);
        assertThat(JudgePrompts.parseVerdict(" false.\n")).contains(false);
        assertThat(JudgePrompts.parseVerdict("It is not true that they differ in value...\nFinal verdict: False")).contains(false);
        assertThat(JudgePrompts.parseVerdict("**TRUE**")).contains(true);
        assertThat(JudgePrompts.parseVerdict("I cannot decide.")).isEmpty();
        assertThat(JudgePrompts.parseVerdict("Untrue statements are falsehoods")).isEmpty();
    }
}
