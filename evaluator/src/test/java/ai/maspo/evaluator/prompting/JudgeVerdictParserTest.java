package ai.maspo.evaluator.prompting;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class JudgeVerdictParserTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "<analyse>B is longer but wrong.</analyse><choose>A</choose>|A",
            "<analyse>x</analyse>\\n<choose> b </choose>|B",
            "<CHOOSE>Output B</CHOOSE>|B",
            "<analyse>I would write <choose>A</choose> if A were right.</analyse><choose>B</choose>|B",
            "A|A",
            " b. |B",
            "**A**|A",
    })
    void readsTheChoice(String reply, Choice expected) {
        assertThat(JudgeVerdictParser.parse(reply.replace("\\n", "\n"))).contains(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "<choose>A or B</choose>", "<choose></choose>", "Both are fine.",
            "<analyse>A</analyse>", "<choose>C</choose>", "AB"})
    void refusesAnythingElse(String reply) {
        assertThat(JudgeVerdictParser.parse(reply)).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void nullIsUnparseable() {
        assertThat(JudgeVerdictParser.parse(null)).isEmpty();
    }
}
