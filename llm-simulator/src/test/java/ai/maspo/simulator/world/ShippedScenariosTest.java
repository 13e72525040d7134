package ai.maspo.simulator.world;

import static org.assertj.core.api.Assertions.assertThat;

import ai.maspo.simulator.scenario.ScenarioLoader;
import ai.maspo.simulator.scenario.Skill;
import ai.maspo.simulator.world.Mas.Agent;
import ai.maspo.simulator.world.Mas.Comparison;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every shipped trap scenario has a real local/global trap; the control scenario has none. */
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
        // Compressed summaries keep the answer, and the summarizer reads the last one: the trap bites on the
        // last expert. Raw contexts overflow the budget whichever expert uses it.
        assertTrapWinsLocallyAndLosesGlobally("hierarchical-trap", "every-option", HIERARCHY, "code expert", "math expert");
    }

    @Test
    void debateTrapWinsLocallyAndLosesGlobally() {
        assertTrapWinsLocallyAndLosesGlobally("debate-trap", "assertive", DEBATE, "predictor 2", "predictor 1");
    }

    /** The trap skill on the given agent, with compressed and with raw contexts. */
    private static void assertTrapWinsLocallyAndLosesGlobally(String scenario, String trapSkill, List<Agent> mas,
                                                               String agentWhenCompressed, String agentWhenRaw) {
        World world = Mas.shipped(scenario);
        String trap = world.scenario().skill(trapSkill).phrases().get(0);
        for (boolean compressed : new boolean[] {true, false}) {
            String agent = compressed ? agentWhenCompressed : agentWhenRaw;
            Comparison c = new Mas(world, compressed).compare(mas, Mas.withPhrase(mas, agent, trap), agent, SEEDS);
            System.out.println(scenario + ", compressed=" + compressed + ", trap on " + agent + ": " + c);
            assertThat(c.localWinRate()).isGreaterThan(0.55);
            assertThat(c.globalDelta()).isLessThan(-0.04);
        }
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
