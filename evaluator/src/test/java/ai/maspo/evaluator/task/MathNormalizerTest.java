package ai.maspo.evaluator.task;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MathNormalizerTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "\\frac{1}{2}|1/2",
        "\\dfrac{1}{2}|\\tfrac12",
        "\\frac{1}{2}|0.5",
        "0.50|.5",
        "5.0|5",
        "1,000|1000",
        "1{,}000|1000",
        "\\$1,250.00|1250",
        "25\\%|25",
        "90^\\circ|90",
        "90^{\\circ}|90 degrees",
        "5 \\text{ cm}|5",
        "12\\text{ cm}^2|12",
        "10 inches|10",
        "\\left( 3, \\frac{\\pi}{2} \\right)|(3,\\frac{\\pi}{2})",
        "\\left( 3, \\frac{\\pi}{2} \\right)|(3, \\pi/2)",
        "x = 5|5",
        "$-\\frac{3}{4}$|-0.75",
        "\\sqrt2|\\sqrt{2}",
        "\\frac{\\sqrt{3}}{2}|\\dfrac{\\sqrt3}{2}",
        "\\text{Evelyn}|Evelyn",
        "\\{1,2\\}|\\{1, 2\\}",
        "3\\!\\cdot\\!4|3\\cdot4",
    })
    void equivalentForms(String a, String b) {
        assertThat(MathNormalizer.equivalent(a, b)).as("%s == %s (%s vs %s)", a, b,
                MathNormalizer.normalize(a), MathNormalizer.normalize(b)).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "\\frac{1}{2}|\\frac{1}{3}",
        "0.5|0.05",
        "1,000|100",
        "(1,2)|(2,1)",
        "5x|5",
        "\\sqrt{2}|2",
        "-1|1",
        "12|",
    })
    void differentAnswers(String a, String b) {
        assertThat(MathNormalizer.equivalent(a, b)).as("%s != %s", a, b).isFalse();
    }
}
