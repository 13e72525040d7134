package ai.maspo.evaluator.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AnswerExtractorTest {

    @Test
    void lastAnswerTagWins() {
        String output = "First <answer>12</answer>, then on reflection <answer> 14 </answer>.";
        assertThat(AnswerExtractor.extract(ExtractionRule.ANSWER_TAG, output)).contains("14");
    }

    @Test
    void answerTagFallsBackToBoxedThenToTheAnswerIsPhrase() {
        assertThat(AnswerExtractor.extract(ExtractionRule.ANSWER_TAG, "so $\\boxed{7}$")).contains("7");
        assertThat(AnswerExtractor.extract(ExtractionRule.ANSWER_TAG, "Step 1\nThe answer is 42.")).contains("42");
        assertThat(AnswerExtractor.extract(ExtractionRule.ANSWER_TAG, "Step 1\nFinal answer: $\\frac{1}{2}$")).contains("\\frac{1}{2}");
        assertThat(AnswerExtractor.extract(ExtractionRule.ANSWER_TAG, "I am not sure. My answer would need more data.")).isEmpty();
    }

    @Test
    void boxedRespectsNestedBracesAndTakesTheLastOne() {
        String output = "wrong: \\boxed{1} right: \\boxed{\\frac{\\sqrt{3}}{2}} done";
        assertThat(AnswerExtractor.extract(ExtractionRule.BOXED, output)).contains("\\frac{\\sqrt{3}}{2}");
        assertThat(AnswerExtractor.extract(ExtractionRule.BOXED, "thus \\boxed 5$ ok")).contains("5");
        assertThat(AnswerExtractor.extract(ExtractionRule.BOXED, "cut off \\boxed{\\frac{1}{2")).isEmpty();
        assertThat(AnswerExtractor.extract(ExtractionRule.BOXED, "<answer>\\boxed{x+1}</answer>")).contains("x+1");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "<answer>C</answer>|C",
        "<answer>(B) 600</answer>|B",
        "The answer is (D).|D",
        "Therefore the answer is **E**|E",
        "$\\boxed{\\text{(A)}}$|A",
        "After checking, Answer: B|B",
        "I pick option c because it fits. Answer: option c|C",
        "d|D",
        "<answer>c</answer>|C",
    })
    void choiceLetters(String output, String letter) {
        assertThat(AnswerExtractor.extract(ExtractionRule.CHOICE_LETTER, output)).contains(letter);
    }

    @Test
    void choiceLetterAfterAMarkdownAnswerLine() {
        assertThat(AnswerExtractor.extract(ExtractionRule.CHOICE_LETTER, "Reasoning.\n**Answer:** (b)")).contains("B");
    }

    @Test
    void noChoiceLetterInProseWithoutAnAnswer() {
        assertThat(AnswerExtractor.extract(ExtractionRule.CHOICE_LETTER, "A train leaves at noon. It is fast.")).isEmpty();
    }

    @Test
    void codeBlockPrefersTheLastPythonBlock() {
        String output = """
                Here is a sketch:
                ```python
                def f(x): return 0
                ```
                Output of a run:
                ```text
                0
                ```
                Final:
                ```python
                def f(x):
                    return x + 1
                ```
                """;
        assertThat(AnswerExtractor.extract(ExtractionRule.CODE_BLOCK, output)).contains("def f(x):\n    return x + 1");
    }

    @Test
    void unfencedCodeIsTakenOnlyWhenItIsPlainlyCode() {
        assertThat(AnswerExtractor.extract(ExtractionRule.CODE_BLOCK, "def g():\n    return 1")).contains("def g():\n    return 1");
        assertThat(AnswerExtractor.extract(ExtractionRule.CODE_BLOCK, "I would loop over the list.")).isEmpty();
    }

    @Test
    void lastLineIgnoresTrailingBlankLines() {
        assertThat(AnswerExtractor.extract(ExtractionRule.LAST_LINE, "reasoning\n  Paris  \n\n")).contains("Paris");
    }

    @Test
    void wireNamesRoundTripAndUnknownNamesAreRefused() {
        for (ExtractionRule rule : ExtractionRule.values()) {
            assertThat(ExtractionRule.fromWire(rule.wireName())).isEqualTo(rule);
        }
        for (CheckerKind kind : CheckerKind.values()) {
            assertThat(CheckerKind.fromWire(kind.wireName())).isEqualTo(kind);
        }
        assertThatThrownBy(() -> ExtractionRule.fromWire("xml")).hasMessageContaining("answer_tag");
        assertThatThrownBy(() -> CheckerKind.fromWire("fuzzy")).hasMessageContaining("llm_judge");
    }
}
