package ai.maspo.evaluator.prompting;

import static org.assertj.core.api.Assertions.assertThat;

import ai.maspo.simulator.scenario.Item;
import ai.maspo.simulator.world.World;
import ai.maspo.simulator.world.Worlds;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The optimizer request is readable as sent: a reader of the traces (here the simulator, as a test instrument) finds
 * the downstream evidence of a flagged case in its tags, and finds none when only the section heading says
 * "misalignment".
 */
class ProposalPromptSimulatorTest {

    private static final World WORLD = Worlds.load(null).named("sequential-trap");
    private static final AgentRole PREDICTOR = new AgentRole("predictor", "solves the problem");

    private static String request(MisalignmentTrace flagged) {
        ChatPrompt prompt = ProposalPrompt.build(new ProposalPrompt.Request("Solve {question}", PREDICTOR, "Be right.",
                List.of(), List.of(flagged)));
        return prompt.system() + "\n" + prompt.user();
    }

    @Test
    void theDownstreamEvidenceOfAFlaggedCaseIsReadFromItsTags() {
        Item item = WORLD.split("train").get(0);
        ProposalTrace trace = new ProposalTrace(item.question(), null,
                "Step 1: a\nStep 2: b\nStep 3: c\nThe answer is " + item.answer() + ".");
        String told = request(new MisalignmentTrace(trace, "the reflector's answer got worse", null, List.of(), null));
        String shown = request(new MisalignmentTrace(trace, "the reflector's answer got worse",
                "The output works through 3 steps of reasoning without stating a final result.", List.of(),
                new MisalignmentTrace.DownstreamOutput("reflector", "Step 1: a\nThe answer is " + item.answer() + "9.")));

        assertThat(WORLD.respond(told, 1L, 0).content()).contains("Over 1 traces:").contains("lost_downstream=0%")
                .doesNotContain("show what happened downstream");
        assertThat(WORLD.respond(shown, 1L, 0).content()).contains("(1 of them show what happened downstream)")
                .contains("lost_downstream=300%").contains("context_without_answer=300%");
    }
}
