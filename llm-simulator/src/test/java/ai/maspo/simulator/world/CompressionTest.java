package ai.maspo.simulator.world;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.maspo.simulator.scenario.CompressionParams;
import ai.maspo.simulator.scenario.Item;
import org.junit.jupiter.api.Test;

/** The compression drop rule, measured per output length over 400 items x 5 seeds. */
class CompressionTest {

    private static final World WORLD = Mas.shipped("sequential-trap");
    private static final Mas MAS = new Mas(WORLD, true);

    @Test
    void summariesKeepTheAnswerUpToTheThresholdThenDropItWithGrowingProbability() {
        CompressionParams params = WORLD.scenario().compression();
        double previousKeepRate = 1;
        for (int steps = 1; steps <= params.keepSteps() + 5; steps++) {
            int kept = 0;
            int n = 0;
            for (long seed = 1; seed <= 5; seed++) {
                for (Item item : MAS.items()) {
                    StringBuilder output = new StringBuilder();
                    for (int i = 1; i <= steps; i++) {
                        output.append("Step ").append(i).append(": add the next operand.\n");
                    }
                    output.append("The answer is ").append(item.answer()).append('.');
                    String summary = MAS.ask("Summarize the following output in at most 30 words, keeping its final "
                            + "answer exactly as written.\n\n" + output, seed);
                    assertThat(summary.split(" ")).hasSizeLessThanOrEqualTo(30);
                    kept += item.answer().equals(Texts.lastAnswer(summary, item)) ? 1 : 0;
                    n++;
                }
            }
            double keepRate = (double) kept / n;
            double expected = 1 - params.dropProbability(steps);
            if (steps <= params.keepSteps()) {
                assertThat(keepRate).as("steps " + steps).isEqualTo(1.0);
            } else {
                assertThat(keepRate).as("steps " + steps)
                        .isCloseTo(expected, within(4 * Math.sqrt(expected * (1 - expected) / n) + 1e-9))
                        .isLessThanOrEqualTo(previousKeepRate);
            }
            previousKeepRate = keepRate;
        }
    }

    @Test
    void theWordLimitIsHonouredEvenWhenTight() {
        String summary = MAS.ask("Summarize in at most 4 words:\nStep 1: x\nThe answer is 42.", 1);
        assertThat(summary.split(" ")).hasSizeLessThanOrEqualTo(4);
        assertThat(summary).startsWith("The answer is 42.");
    }
}
