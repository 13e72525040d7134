package ai.maspo.simulator.world;

import static org.assertj.core.api.Assertions.assertThat;

import ai.maspo.simulator.world.Mas.Agent;
import ai.maspo.simulator.world.Mas.Comparison;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The planted trap of sequential-trap, measured over 400 items x 3 seeds (1,200 chains per figure). */
class SequentialTrapTest {

    private static final World WORLD = Mas.shipped("sequential-trap");
    private static final List<Agent> CHAIN = List.of(
            new Agent("predictor", List.of(), List.of()),
            new Agent("reflector", List.of("predictor"), List.of()));
    private static final int SEEDS = 3;

    private static String phrase(String skill) {
        return WORLD.scenario().skill(skill).phrases().get(0);
    }

    @Test
    void trapWinsLocallyButLowersFinalAccuracyWithCompressedContexts() {
        Comparison trap = new Mas(WORLD, true).compare(CHAIN,
                Mas.withPhrase(CHAIN, "predictor", phrase("exhaustive")), "predictor", SEEDS);
        System.out.println("sequential-trap, compressed, exhaustive on predictor: " + trap);

        assertThat(trap.localWinRate()).isGreaterThan(0.6);
        // Paired over the same 1,200 chains: a drop of more than 0.05 is several standard errors.
        assertThat(trap.globalDelta()).isLessThan(-0.05);
    }

    @Test
    void trapOverflowsTheReflectorBudgetWithRawContextsAndFocusThenCritiqueRecoverPartOfTheLoss() {
        Mas raw = new Mas(WORLD, false);
        List<Agent> trapped = Mas.withPhrase(CHAIN, "predictor", phrase("exhaustive"));
        List<Agent> focused = Mas.withPhrase(trapped, "reflector", phrase("focus"));
        List<Agent> critical = Mas.withPhrase(focused, "reflector", phrase("critique"));
        double base = raw.accuracy(CHAIN, SEEDS);
        double trap = raw.accuracy(trapped, SEEDS);
        double focus = raw.accuracy(focused, SEEDS);
        double critique = raw.accuracy(critical, SEEDS);
        System.out.printf("sequential-trap, raw contexts: base %.3f, trap %.3f, +focus %.3f, +focus+critique %.3f%n",
                base, trap, focus, critique);

        assertThat(trap).isLessThan(base - 0.05);
        assertThat(focus).isGreaterThan(trap + 0.03);
        assertThat(critique).isGreaterThan(focus + 0.01);
    }

    @Test
    void critiqueOnTheReflectorRecoversPartOfTheLossWithCompressedContexts() {
        Mas compressed = new Mas(WORLD, true);
        List<Agent> trapped = Mas.withPhrase(CHAIN, "predictor", phrase("exhaustive"));
        double trap = compressed.accuracy(trapped, SEEDS);
        double critique = compressed.accuracy(Mas.withPhrase(trapped, "reflector", phrase("critique")), SEEDS);
        System.out.printf("sequential-trap, compressed: trap %.3f, +critique %.3f%n", trap, critique);

        assertThat(critique).isGreaterThan(trap);
    }

    @Test
    void doubleCheckIsAnHonestGainLocallyAndGlobally() {
        Comparison gain = new Mas(WORLD, true).compare(CHAIN,
                Mas.withPhrase(CHAIN, "predictor", phrase("double-check")), "predictor", SEEDS);
        System.out.println("sequential-trap, compressed, double-check on predictor: " + gain);

        assertThat(gain.localWinRate()).isGreaterThan(0.55);
        assertThat(gain.globalDelta()).isGreaterThan(0.03);
    }
}
