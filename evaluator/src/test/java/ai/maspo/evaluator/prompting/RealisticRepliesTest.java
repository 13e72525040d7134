package ai.maspo.evaluator.prompting;

import static org.assertj.core.api.Assertions.assertThat;

import ai.maspo.evaluator.task.AnswerExtractor;
import ai.maspo.evaluator.task.ExtractionRule;
import ai.maspo.evaluator.task.JudgePrompts;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every parser against the reply shapes real models produce: reasoning blocks whose drafts disagree with the final
 * answer (in the content or in a separate field), markdown, chatter before and after the answer, refusals and empty
 * replies. {@code null} as the expected value means: no answer, verdict or prompt.
 */
class RealisticRepliesTest {

    private static final String THINK = "<think>\nLet me see. First guess: \\boxed{0}? The answer is 0? "
            + "<answer>0</answer> Hmm, no, recheck.\n</think>\n";

    static Stream<Arguments> answers() {
        return Stream.of(
                // boxed rule (math datasets)
                a(ExtractionRule.BOXED, THINK + "So we get $\\boxed{12}$.", "12"),
                a(ExtractionRule.BOXED, "<thinking>maybe \\boxed{3}</thinking>\n\n**Final Answer**\n\n$$\\boxed{\\frac{1}{2}}$$", "\\frac{1}{2}"),
                a(ExtractionRule.BOXED, "<reasoning>\\boxed{7}</reasoning>The answer is 8.", "8"),
                a(ExtractionRule.BOXED, "Okay, the user wants x. Draft: \\boxed{1}\n</think>\n\nThus $x = \\boxed{2}$.", "2"),
                a(ExtractionRule.BOXED, "Sure! Let's solve it.\n\n1. Expand.\n2. Simplify.\n\n**Final Answer:** $\\boxed{42}$\n\nLet me know if you have questions!", "42"),
                a(ExtractionRule.BOXED, "### Final Answer\n\n17\n", "17"),
                a(ExtractionRule.BOXED, "**Final Answer**: 9", "9"),
                a(ExtractionRule.BOXED, "<think>long reasoning that was cut off at \\boxed{5", null),
                a(ExtractionRule.BOXED, "<think>\\boxed{5}</think>", null),
                a(ExtractionRule.BOXED, "I'm sorry, but I can't help with that.", null),
                a(ExtractionRule.BOXED, "", null),
                a(ExtractionRule.BOXED, "<|channel|>analysis<|message|>draft \\boxed{1}<|end|><|start|>assistant<|channel|>final<|message|>\\boxed{4}", "4"),
                // answer tag rule (simulator data, custom tasks)
                a(ExtractionRule.ANSWER_TAG, THINK + "Step 1: add.\nThe answer is 14.", "14"),
                a(ExtractionRule.ANSWER_TAG, THINK + "Step 1: add.\n<answer>14</answer>", "14"),
                a(ExtractionRule.ANSWER_TAG, "Sure, here is my solution.\n\nStep 1: add.\n\n**Final answer:** The answer is 14.\n\nI hope this helps!", "14"),
                a(ExtractionRule.ANSWER_TAG, "Here you go:\n\n**Answer:** 14", "14"),
                a(ExtractionRule.ANSWER_TAG, "> **Answer:** 14", "14"),
                a(ExtractionRule.ANSWER_TAG, "As an AI language model, I cannot solve this.", null),
                a(ExtractionRule.ANSWER_TAG, "Sorry, I slipped above: the answer is 5.", "5"),
                // choice letter rule
                a(ExtractionRule.CHOICE_LETTER, "<think>Option A looks right... the answer is (A)? No.</think>\nThe answer is (C).", "C"),
                a(ExtractionRule.CHOICE_LETTER, "Let's eliminate options.\n\n**Answer: D**", "D"),
                a(ExtractionRule.CHOICE_LETTER, "### Final answer\n**(B)** 600", "B"),
                a(ExtractionRule.CHOICE_LETTER, THINK + "\\boxed{E}", "E"),
                a(ExtractionRule.CHOICE_LETTER, "I'm unable to determine which option is correct.", null),
                // code block rule
                a(ExtractionRule.CODE_BLOCK, "<think>```python\ndef f(): return 0\n```</think>\nHere is the code:\n```python\ndef f():\n    return 1\n```\nThis runs in O(1).",
                        "def f():\n    return 1"),
                a(ExtractionRule.CODE_BLOCK, "I can't help with writing that code.", null),
                // last line rule
                a(ExtractionRule.LAST_LINE, THINK + "Paris\n\nLet me know if you need anything else!", "Paris"),
                a(ExtractionRule.LAST_LINE, "The capital is:\nParis\nHope this helps.", "Paris"),
                a(ExtractionRule.LAST_LINE, "I am sorry, but I cannot answer that.", null));
    }

    @ParameterizedTest
    @MethodSource("answers")
    void answerExtraction(ExtractionRule rule, String reply, String expected) {
        assertThat(AnswerExtractor.extract(rule, reply)).isEqualTo(Optional.ofNullable(expected));
    }

    static Stream<Arguments> pairwiseVerdicts() {
        return Stream.of(
                v("<think>\nOutput A has more steps. <choose>A</choose>? But its answer is wrong.\n</think>\nB", "B"),
                v("<think>A looks better</think>\n<analyse>A is wrong.</analyse>\n<choose>B</choose>", "B"),
                v("**Output B** is better.", "B"),
                v("After comparing both, **Output A** is clearly better: its final answer is correct.", "A"),
                v("Output B is better because its final answer matches the computation.", "B"),
                v("Answer: B", "B"),
                v("**Verdict:** Output A", "A"),
                v("My analysis: A skips a step, B is complete.\n\nFinal choice: **B**", "B"),
                v("I prefer Output A.", "A"),
                v("I would choose B.", "B"),
                v("The better output is A.", "A"),
                v("$\\boxed{B}$", "B"),
                v("<choose>**A**</choose>", "A"),
                v("Output A is better in style, but on reflection Output B is better overall.", "B"),
                v("A is better than B", "A"),
                v("Output A is more detailed.\n\n### Verdict\n**B**", "B"),
                v("Both outputs are equally good; neither is better.", null),
                v("It's a tie.", null),
                v("I prefer a shorter answer in general.", null),
                v("I'm sorry, but I can't compare these outputs.", null),
                v("<think>B is better</think>", null),
                v("", null));
    }

    @ParameterizedTest
    @MethodSource("pairwiseVerdicts")
    void pairwiseJudge(String reply, String expected) {
        assertThat(JudgeVerdictParser.parse(reply)).isEqualTo(Optional.ofNullable(expected).map(Choice::valueOf));
    }

    static Stream<Arguments> correctnessVerdicts() {
        return Stream.of(
                v("<think>At first it looks False, the forms differ... but 1/2 = 0.5.</think>\nTrue", "true"),
                v("**True**", "true"),
                v("The candidate's value differs from the reference.\n\n**Verdict: False**", "false"),
                v("True.\n\nLet me know if you need more detail!", "true"),
                v("<think>True?</think>", null),
                v("I'm sorry, I can't determine whether this is true or false.", null),
                v("", null));
    }

    @ParameterizedTest
    @MethodSource("correctnessVerdicts")
    void correctnessJudge(String reply, String expected) {
        assertThat(JudgePrompts.parseVerdict(reply)).isEqualTo(Optional.ofNullable(expected).map(Boolean::valueOf));
    }

    static Stream<Arguments> proposals() {
        return Stream.of(
                v("<think>Draft: <prompt>Solve it. {question}</prompt> Too vague.</think>\n<analyse>x</analyse>"
                        + "<modification>y</modification><prompt>Solve it step by step.\n{question}</prompt>",
                        "Solve it step by step.\n{question}"),
                v("Here is my improved prompt:\n\n<prompt>\n```\nCheck each step.\n{question}\n```\n</prompt>\n\nLet me know!",
                        "Check each step.\n{question}"),
                v("**Analysis:** too long.\n\n<prompt>Be brief. {question}</prompt>", "Be brief. {question}"),
                v("<think>I will write <prompt>A {question}</prompt></think>", null),
                v("I'm sorry, but I can't help with rewriting this prompt.", null),
                v("", null));
    }

    @ParameterizedTest
    @MethodSource("proposals")
    void proposal(String reply, String expected) {
        assertThat(ProposalParser.parse(reply)).isEqualTo(Optional.ofNullable(expected));
    }

    static Stream<Arguments> splits() {
        return Stream.of(
                s("<think>draft The answer is 3.</think>\n\nStep 1: add.\nThe answer is 4.", null,
                        "Step 1: add.\nThe answer is 4.", "draft The answer is 3."),
                s("Step 1: add.\nThe answer is 4.", "First guess: 3. Recheck: 4.",
                        "Step 1: add.\nThe answer is 4.", "First guess: 3. Recheck: 4."),
                s("We need 2+2. Draft 5.\n</think>\n\nThe answer is 4.", null, "The answer is 4.", "We need 2+2. Draft 5."),
                s("<THINK>a</THINK>b<think>c</think>d", null, "bd", "a\n\nc"),
                s("The answer is 4. <think>and then I started rethinking", null, "The answer is 4.", "and then I started rethinking"),
                s(null, "only thoughts", "", "only thoughts"),
                s("plain", null, "plain", null));
    }

    @ParameterizedTest
    @MethodSource("splits")
    void compressionAndTraceInputKeepReasoningApart(String content, String field, String text, String reasoning) {
        ReplyText split = ReplyText.of(content, field);
        assertThat(split.text()).isEqualTo(text);
        assertThat(split.reasoning()).isEqualTo(reasoning);
    }

    @Test
    void refusalsAreUnusableButAnswersThatApologiseAreNot() {
        for (String refusal : List.of("I'm sorry, but I can't help with that.", "I cannot assist with this request.",
                "As an AI, I must decline.", "Unfortunately, I am unable to answer.", "Sorry — I won't do that.")) {
            assertThat(ReplyText.of(refusal, null).unusable()).as(refusal).isTrue();
        }
        for (String answer : List.of("Sorry for the confusion: the answer is 5.", "I can't believe it: <answer>3</answer>",
                "Step 1: I cannot skip this.\nThe answer is 2.", "I'm sorry, here is the fix: <prompt>Do {question}</prompt>")) {
            assertThat(ReplyText.of(answer, null).unusable()).as(answer).isFalse();
        }
        assertThat(ReplyText.of("<think>x</think>  ", null).unusable()).isTrue();
    }

    private static Arguments a(ExtractionRule rule, String reply, String expected) {
        return Arguments.of(rule, reply, expected);
    }

    private static Arguments v(String reply, String expected) {
        return Arguments.of(reply, expected);
    }

    private static Arguments s(String content, String field, String text, String reasoning) {
        return Arguments.of(content, field, text, reasoning);
    }
}
