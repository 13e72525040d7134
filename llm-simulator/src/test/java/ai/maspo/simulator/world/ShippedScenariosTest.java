package ai.maspo.simulator.world;

import static org.assertj.core.api.Assertions.assertThat;

import ai.maspo.simulator.scenario.ScenarioLoader;
import ai.maspo.simulator.scenario.Skill;
import ai.maspo.simulator.world.Mas.Agent;
import ai.maspo.simulator.world.Mas.Comparison;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every shipped trap scenario has a real local/global trap; the control scenario has none. The agents are named as in
 * the built-in topologies the scenarios are made for ({@code reflect} with two rounds, {@code llm_agg}).
 */
class ShippedScenariosTest {

    private static final int SEEDS = 2;
    private static final int CONTROL_SEEDS = 1;
    private static final List<Agent> HIERARCHY = List.of(
            new Agent("math expert", List.of(), List.of()),
            new Agent("science expert", List.of(), List.of()),
            new Agent("code expert", List.of(), List.of()),
            new Agent("summarizer", List.of("math expert", "science expert", "code expert"), List.of()));
    private static final List<Agent> DEBATE = List.of(
            new Agent("predictor 1", List.of(), List.of()),
            new Agent("predictor 2", List.of(), List.of()),
            new Agent("debater", List.of("predictor 1", "predictor 2"), List.of()));
    private static final List<Agent> CHAIN3 = List.of(
            new Agent("predictor", List.of(), List.of()),
            new Agent("reflector_1", List.of("predictor"), List.of()),
            new Agent("reflector_2", List.of("reflector_1"), List.of()));
    private static final List<Agent> AGGREGATION = List.of(
            new Agent("predictor_1", List.of(), List.of()),
            new Agent("predictor_2", List.of(), List.of()),
            new Agent("predictor_3", List.of(), List.of()),
            new Agent("aggregator", List.of("predictor_1", "predictor_2", "predictor_3"), List.of()));
    private static final List<Agent> CHAIN = List.of(
            new Agent("predictor", List.of(), List.of()),
            new Agent("reflector", List.of("predictor"), List.of()));

    @Test
    void everyShippedScenarioLoadsAndEachTrapScenarioDeclaresATrap() {
        assertThat(ScenarioLoader.shipped()).extracting(s -> s.name()).containsExactlyElementsOf(ScenarioLoader.SHIPPED);
        for (var scenario : ScenarioLoader.shipped()) {
            boolean hasTrap = scenario.skills().stream().map(Skill::kind).anyMatch("trap"::equals);
            assertThat(hasTrap).as(scenario.name()).isEqualTo(!scenario.name().equals("aligned-control"));
        }
    }

    @Test
    void hierarchicalTrapWinsLocallyAndLosesGlobally() {
        // The summarizer weighs the three experts by majority: with compressed summaries one worse expert costs
        // less than when raw reports let its over-long report drop out of the vote.
        World world = Mas.shipped("hierarchical-trap");
        String trap = world.scenario().skill("every-option").phrases().get(0);
        assertTrap(world, HIERARCHY, "code expert", trap, true, -0.02);
        assertTrap(world, HIERARCHY, "math expert", trap, false, -0.04);
    }

    @Test
    void debateTrapWinsLocallyAndLosesGloballyWithCompressedContexts() {
        World world = Mas.shipped("debate-trap");
        String trap = world.scenario().skill("assertive").phrases().get(0);
        assertTrap(world, DEBATE, "predictor 2", trap, true, -0.02);
        // With raw contexts the debater skips the over-long argument and reads the other predictor: a local win
        // that costs nothing globally (measured, not asserted beyond the local win).
        Comparison raw = new Mas(world, false).compare(DEBATE, Mas.withPhrase(DEBATE, "predictor 1", trap), "predictor 1", SEEDS);
        System.out.println("debate-trap, raw, trap on predictor 1: " + raw);
        assertThat(raw.localWinRate()).isGreaterThan(0.55);
    }

    @Test
    void chainMiddleTrapWinsLocallyLowersFinalAccuracyAndHasFixesAndGains() {
        World world = Mas.shipped("chain-middle-trap");
        String trap = phrase(world, "rederive");
        assertTrap(world, CHAIN3, "reflector_1", trap, true, -0.04);
        assertTrap(world, CHAIN3, "reflector_1", trap, false, -0.04);
        List<Agent> trapped = Mas.withPhrase(CHAIN3, "reflector_1", trap);
        assertFixRecovers(world, trapped, "reflector_2", phrase(world, "focus"), false);
        // Compressed, the middle summary has lost the answer before the last reflector reads it: the fix is upstream.
        assertFixRecovers(world, trapped, "reflector_1", phrase(world, "concise"), true);
        assertGain(world, CHAIN3, "reflector_1", phrase(world, "double-check"));
        assertGain(world, CHAIN3, "predictor", phrase(world, "double-check"));
    }

    @Test
    void llmAggregatorTrapWinsLocallyLowersFinalAccuracyAndHasFixesAndGains() {
        World world = Mas.shipped("llm-aggregator-trap");
        String trap = phrase(world, "showcase");
        assertTrap(world, AGGREGATION, "predictor_1", trap, true, -0.03);
        assertTrap(world, AGGREGATION, "predictor_3", trap, false, -0.03);
        assertFixRecovers(world, Mas.withPhrase(AGGREGATION, "predictor_3", trap), "aggregator", phrase(world, "focus"), false);
        assertFixRecovers(world, Mas.withPhrase(AGGREGATION, "predictor_1", trap), "aggregator", phrase(world, "critique"), true);
        assertGain(world, AGGREGATION, "predictor_2", phrase(world, "double-check"));
    }

    private static String phrase(World world, String skill) {
        return world.scenario().skill(skill).phrases().get(0);
    }

    /** The trap phrase on {@code agent} wins its local comparison and lowers the final accuracy by more than {@code maxDelta}. */
    private static void assertTrap(World world, List<Agent> mas, String agent, String trap, boolean compressed,
                                   double maxDelta) {
        Comparison c = new Mas(world, compressed).compare(mas, Mas.withPhrase(mas, agent, trap), agent, SEEDS);
        System.out.println(world.scenario().name() + ", compressed=" + compressed + ", trap on " + agent + ": " + c);
        assertThat(c.localWinRate()).as(agent).isGreaterThan(0.55);
        assertThat(c.globalDelta()).as(agent).isLessThan(maxDelta);
    }

    /** The fix on {@code agent} of a trapped system raises its final accuracy by more than 0.02. */
    private static void assertFixRecovers(World world, List<Agent> trapped, String agent, String fix, boolean compressed) {
        Mas mas = new Mas(world, compressed);
        double before = mas.accuracy(trapped, SEEDS);
        double after = mas.accuracy(Mas.withPhrase(trapped, agent, fix), SEEDS);
        System.out.printf("%s, compressed=%s, trapped %.3f, + fix on %s %.3f%n", world.scenario().name(), compressed,
                before, agent, after);
        assertThat(after).as(fix + " on " + agent).isGreaterThan(before + 0.02);
    }

    /** An honest gain: wins locally and raises the final accuracy, with compressed contexts. */
    private static void assertGain(World world, List<Agent> mas, String agent, String gain) {
        Comparison c = new Mas(world, true).compare(mas, Mas.withPhrase(mas, agent, gain), agent, SEEDS);
        System.out.println(world.scenario().name() + ", gain on " + agent + ": " + c);
        assertThat(c.localWinRate()).as(agent).isGreaterThan(0.55);
        assertThat(c.globalDelta()).as(agent).isGreaterThan(0.02);
    }

    @Test
    void inTheControlScenarioLocalAndGlobalAgreeForEverySkillOnEitherAgent() {
        World world = Mas.shipped("aligned-control");
        Mas mas = new Mas(world, true);
        for (Skill skill : world.scenario().skills()) {
            for (String agent : List.of("predictor", "reflector")) {
                Comparison c = mas.compare(CHAIN, Mas.withPhrase(CHAIN, agent, skill.phrases().get(0)), agent, CONTROL_SEEDS);
                System.out.println("aligned-control, " + skill.id() + " on " + agent + ": " + c);
                // A local win never comes with a global loss, and a clear global gain is never a local loss.
                if (c.localWinRate() > 0.55) {
                    assertThat(c.globalDelta()).as(skill.id() + " on " + agent).isGreaterThan(-0.01);
                }
                if (c.globalDelta() > 0.03) {
                    assertThat(c.localWinRate()).as(skill.id() + " on " + agent).isGreaterThan(0.5);
                }
            }
        }
    }
}
