package ai.maspo.simulator.world;

import static org.assertj.core.api.Assertions.assertThat;

import ai.maspo.simulator.scenario.Item;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Same request, same answer; seeds and the per-process counter give a distribution. */
class DeterminismTest {

    private static final String PROPOSAL = "<current_prompt>\nAnswer: {question}\n</current_prompt>\n"
            + "Reply with <prompt>the new prompt</prompt>.\n## Question\n#q0003 Compute 1 + 1.\n<output>\nThe answer is 3.\n</output>";

    private static List<String> agentRequests(World world) {
        return new Mas(world, true).items().stream().map(Item::question).map(q -> "Solve carefully.\nQuestion: " + q).toList();
    }

    @Test
    void sameRequestAndSeedGiveTheSameAnswerAcrossWorldInstances() {
        World first = Mas.shipped("sequential-trap");
        World second = Mas.shipped("sequential-trap");
        for (String request : agentRequests(first)) {
            for (long seed = 1; seed <= 3; seed++) {
                assertThat(second.respond(request, seed, 0.7).content()).isEqualTo(first.respond(request, seed, 0.7).content());
            }
            // Temperature 0 without a seed is deterministic too.
            assertThat(second.respond(request, null, 0).content()).isEqualTo(first.respond(request, null, 0).content());
        }
    }

    @Test
    void differentSeedsGiveDifferentAgentAnswersAtTheAgentsAccuracy() {
        World world = Mas.shipped("sequential-trap");
        int itemsWithBothOutcomes = 0;
        List<String> requests = agentRequests(world);
        for (String request : requests) {
            Set<String> answers = new HashSet<>();
            for (long seed = 1; seed <= 10; seed++) {
                answers.add(world.respond(request, seed, 0).content());
            }
            itemsWithBothOutcomes += answers.size() > 1 ? 1 : 0;
        }
        assertThat(itemsWithBothOutcomes).isGreaterThan(requests.size() / 2);
    }

    @Test
    void proposalsVaryWithTheSeedOrWithTheCounterWhenTemperatureIsPositive() {
        World world = Mas.shipped("sequential-trap");
        Set<String> bySeed = new HashSet<>();
        Set<String> byCounter = new HashSet<>();
        Set<String> atTemperatureZero = new HashSet<>();
        for (long seed = 0; seed < 200; seed++) {
            bySeed.add(world.respond(PROPOSAL, seed, 0.7).content());
            byCounter.add(world.respond(PROPOSAL, null, 0.7).content());
            atTemperatureZero.add(world.respond(PROPOSAL, null, 0).content());
        }
        // Six skills can be added: over 200 draws every edit shows up.
        assertThat(bySeed).hasSizeGreaterThanOrEqualTo(6);
        assertThat(byCounter).hasSizeGreaterThanOrEqualTo(6);
        assertThat(atTemperatureZero).hasSize(1);
    }

    @Test
    void theScenarioSeedChangesTheWorld() {
        World trap = Mas.shipped("sequential-trap");
        World control = Mas.shipped("aligned-control");
        long differing = 0;
        for (long seed = 0; seed < 300; seed++) {
            String request = "Reply in <prompt> tags. <current_prompt>{question}</current_prompt>";
            differing += trap.respond(request, seed, 0).content().equals(control.respond(request, seed, 0).content()) ? 0 : 1;
        }
        assertThat(differing).isGreaterThan(150);
    }
}
