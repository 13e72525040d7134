package ai.maspo.simulator.world;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.maspo.simulator.scenario.Item;
import ai.maspo.simulator.scenario.JudgeParams;
import org.junit.jupiter.api.Test;

/** Judge behaviour measured over 400 items x 10 seeds against the scenario's parameters. */
class JudgeTest {

    private static final World WORLD = Mas.shipped("sequential-trap");
    private static final Mas MAS = new Mas(WORLD, true);
    private static final JudgeParams JUDGE = WORLD.scenario().judge();
    private static final int SEEDS = 10;

    private static String output(String answer, int steps) {
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= steps; i++) {
            text.append("Step ").append(i).append(": work.\n");
        }
        return text.append("The answer is ").append(answer).append('.').toString();
    }

    private static String wrong(Item item) {
        return Integer.toString(Integer.parseInt(item.answer()) + 3);
    }

    /** Four standard errors of a proportion p estimated from n samples. */
    private static double tolerance(double p, int n) {
        return 4 * Math.sqrt(p * (1 - p) / n);
    }

    @Test
    void positionBiasAndAccuracyMatchTheParameters() {
        int correctFirstChosen = 0;
        int correctSecondChosen = 0;
        int equalFirstChosen = 0;
        int n = 0;
        for (long seed = 1; seed <= SEEDS; seed++) {
            for (Item item : MAS.items()) {
                String right = output(item.answer(), 3);
                String wrong = output(wrong(item), 3);
                correctFirstChosen += MAS.firstIsChosen(item, right, wrong, seed) ? 1 : 0;
                correctSecondChosen += MAS.firstIsChosen(item, wrong, right, seed) ? 0 : 1;
                equalFirstChosen += MAS.firstIsChosen(item, right, output(item.answer(), 3) + " ", seed) ? 1 : 0;
                n++;
            }
        }
        double a = JUDGE.accuracy();
        double b = JUDGE.positionBias();
        // Each output's correctness is perceived right with probability a, ties are a coin: the correct output
        // wins with probability a² + a(1 - a) = a, unless the position bias answers A first.
        double expectedFirst = b + (1 - b) * a;
        double expectedSecond = (1 - b) * a;
        double expectedEqual = b + (1 - b) * 0.5;
        assertThat((double) correctFirstChosen / n).isCloseTo(expectedFirst, within(tolerance(expectedFirst, n)));
        assertThat((double) correctSecondChosen / n).isCloseTo(expectedSecond, within(tolerance(expectedSecond, n)));
        assertThat((double) equalFirstChosen / n).isCloseTo(expectedEqual, within(tolerance(expectedEqual, n)));
    }

    @Test
    void detailAndFormatWeighAsConfigured() {
        // Same answer, 3 vs 9 steps: the longer one wins whenever perception agrees on both, i.e. unless only the
        // short one is perceived correct; detail (0.9) never outweighs correctness (1.0).
        int longerChosen = 0;
        int n = 0;
        for (long seed = 1; seed <= SEEDS; seed++) {
            for (Item item : MAS.items()) {
                String shortOne = output(item.answer(), 3);
                String longOne = output(item.answer(), 9);
                longerChosen += MAS.firstIsChosen(item, shortOne, longOne, seed) ? 0 : 1;
                n++;
            }
        }
        double a = JUDGE.accuracy();
        double expected = (1 - JUDGE.positionBias()) * (1 - a * (1 - a));
        assertThat((double) longerChosen / n).isCloseTo(expected, within(tolerance(expected, n)));
    }

    @Test
    void replyFormatFollowsTheRequest() {
        Item item = MAS.items().get(0);
        String withTags = MAS.ask("Question: " + item.question() + "\n<output_a>The answer is 1.</output_a>\n"
                + "<output_b>The answer is 2.</output_b>\nChoose the better one: <choose>A or B</choose>", 1);
        String bare = MAS.ask("Question: " + item.question() + "\nOutput A: The answer is 1.\nOutput B: The answer is 2.\n"
                + "Which output is better? Reply A or B.", 1);
        assertThat(withTags).matches("(?s)<analyse>.+</analyse><choose>[AB]</choose>");
        assertThat(bare).matches("[AB]");
    }

    @Test
    void correctnessJudgeIsRightWithTheJudgeAccuracy() {
        // Two request shapes: a full output after "Response:", and the evaluator's bare extracted answer after
        // "Candidate answer:" on its own line.
        String stated = "Question: %s%nReference answer: %s%nResponse: %s%nIs the response correct? Reply True or False.";
        String bare = "Question:%n%s%n%nReference answer:%n%s%n%nCandidate answer:%n%s%n%n"
                + "Is the candidate answer correct? Reply with exactly one word: True or False.";
        int rightOnCorrect = 0;
        int rightOnWrong = 0;
        int n = 0;
        for (long seed = 1; seed <= SEEDS; seed++) {
            for (Item item : MAS.items()) {
                boolean useBare = seed % 2 == 0;
                String prompt = useBare ? bare : stated;
                String right = useBare ? item.answer() : output(item.answer(), 2);
                String wrong = useBare ? wrong(item) : output(wrong(item), 2);
                rightOnCorrect += MAS.ask(prompt.formatted(item.question(), item.answer(), right), seed).equals("True") ? 1 : 0;
                rightOnWrong += MAS.ask(prompt.formatted(item.question(), item.answer(), wrong), seed).equals("False") ? 1 : 0;
                n++;
            }
        }
        double a = JUDGE.accuracy();
        assertThat((double) rightOnCorrect / n).isCloseTo(a, within(tolerance(a, n)));
        assertThat((double) rightOnWrong / n).isCloseTo(a, within(tolerance(a, n)));
    }
}
