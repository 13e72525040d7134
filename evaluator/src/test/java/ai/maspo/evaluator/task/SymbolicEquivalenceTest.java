package ai.maspo.evaluator.task;

import static org.assertj.core.api.Assertions.assertThat;

import ai.maspo.protocol.TaskDefinition;
import ai.maspo.protocol.TaskType;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Math answers compared by value with the CAS: what a real model writes for the same value, and near misses. */
class SymbolicEquivalenceTest {

    private static final Duration BOUND = Duration.ofSeconds(20); // generous: the shared machine is loaded

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "\\frac{1}{\\sqrt{2}}|\\frac{\\sqrt{2}}{2}",
            "\\sqrt{12}|2\\sqrt{3}",
            "x(x+2)|x^2+2x",
            "(x+1)^2|x^2 + 2x + 1",
            "\\{3, 1, 2\\}|\\{1,2,3\\}",
            "x = 2, x = -1|-1, 2",
            "\\dfrac{3+\\sqrt{5}}{2}|\\frac{3}{2}+\\frac{\\sqrt{5}}{2}",
            "\\frac{\\pi}{2}|\\frac{1}{2}\\pi",
            "2\\pi r|2 r \\pi",
            "\\left( 1, \\frac{\\sqrt{3}}{3} \\right)|(1, \\frac{1}{\\sqrt{3}})",
            "\\sqrt[3]{16}|2\\sqrt[3]{2}",
            "3+4i|4i+3",
            "\\sin(\\frac{\\pi}{6})|\\frac12",
            "0.25x|\\frac{x}{4}",
            "y = 2x - 3|-3 + 2x",
    })
    void acceptsTheSameValueWrittenAnotherWay(String answer, String reference) {
        assertThat(MathNormalizer.equivalent(answer, reference)).as("the normalizer alone").isFalse();
        assertThat(SymbolicEquivalence.equivalent(answer, reference, BOUND)).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "\\frac{1}{\\sqrt{3}}|\\frac{\\sqrt{2}}{2}",
            "\\sqrt{13}|2\\sqrt{3}",
            "x(x+3)|x^2+2x",
            "1.414|\\sqrt{2}",
            "0.333|\\frac13",
            "\\{1, 2\\}|\\{1, 2, 3\\}",
            "(2, 1)|(1, 2)",
            "[1, 2)|(1, 2)",
            "\\{1, 2\\}|(1, 2)",
            "2\\pi|6.28",
            "x^{10}|x^{9}",
            "-\\frac{1}{2}|\\frac12",
            "\\text{Monday}|\\text{Tuesday}",
            "x > 3|x < 3",
            "\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}|\\begin{pmatrix} 2 \\\\ 1 \\end{pmatrix}",
    })
    void refusesNearMissesAndWhatItCannotRead(String answer, String reference) {
        assertThat(SymbolicEquivalence.equivalent(answer, reference, BOUND)).isFalse();
    }

    @Test
    void onlyWhitelistedMathReachesTheCas() {
        assertThat(LatexMath.convert("Run(\"rm -rf /\")")).isEmpty();
        assertThat(LatexMath.convert("\\text{Print}(1)")).isEmpty();
        assertThat(SymbolicEquivalence.equivalent("\\text{listen}", "\\text{silent}", BOUND)).isFalse();
        assertThat(LatexMath.convert("2^{" + "9".repeat(300) + "}")).isEmpty(); // longer than the input bound
        // letters are variables with names no built-in has (D is the derivative, N numeric evaluation...)
        assertThat(LatexMath.convert("D(x)").orElseThrow().elements()).containsExactly("((vud*((vx))))");
        // decimals are exact fractions
        assertThat(LatexMath.convert("0.5").orElseThrow().elements()).containsExactly("(((5/10^1)))");
    }

    @Test
    void aComparisonBeyondItsTimeBoundIsNotEquivalentAndTheCasCarriesOn() {
        String heavy = "(x+y+z+1)^{40}";
        long start = System.nanoTime();
        assertThat(SymbolicEquivalence.equivalent(heavy, "(x+y+z+2)^{40}", Duration.ofMillis(50))).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(SymbolicEquivalence.equivalent("\\sqrt{8}", "2\\sqrt{2}", BOUND)).isTrue();
    }

    @Test
    void theExactCheckerUsesTheCasForMathOnly() {
        AnswerChecker checker = new AnswerChecker(null, null, BOUND);
        TaskDefinition math = new TaskDefinition(TaskType.MATH, "boxed", "r", "exact");
        TaskDefinition open = new TaskDefinition(TaskType.OPEN, "boxed", "r", "exact");
        assertThat(checker.check(math, "q", "So $\\boxed{\\sqrt{12}}$.", "2\\sqrt{3}", Optional.empty()).correct()).isTrue();
        assertThat(checker.check(math, "q", "So $\\boxed{\\sqrt{13}}$.", "2\\sqrt{3}", Optional.empty()).correct()).isFalse();
        assertThat(checker.check(open, "q", "So $\\boxed{\\sqrt{12}}$.", "2\\sqrt{3}", Optional.empty()).correct()).isFalse();
    }
}
