package ai.maspo.orchestrator.service;

import static org.assertj.core.api.Assertions.assertThat;

import ai.maspo.protocol.AgentDefinition;
import ai.maspo.protocol.AgentTrace;
import ai.maspo.protocol.AgentType;
import ai.maspo.protocol.Edge;
import ai.maspo.protocol.MasDefinition;
import ai.maspo.protocol.ProposeJob;
import ai.maspo.protocol.QuestionTrace;
import ai.maspo.protocol.TaskDefinition;
import ai.maspo.protocol.TaskType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A flagged case carries what happened after the agent on that question, taken from the same baseline run. */
class FlaggedCaseTest {

    // predictor -> reflector_1 -> {reflector_2, checker}; reflector_2 -> judge (terminal); checker -> judge
    private static final MasDefinition MAS = new MasDefinition(
            List.of(agent("predictor"), agent("reflector_1"), agent("reflector_2"), agent("checker"), agent("judge")),
            List.of(new Edge("predictor", "reflector_1"), new Edge("reflector_1", "reflector_2"),
                    new Edge("reflector_1", "checker"), new Edge("reflector_2", "judge"), new Edge("checker", "judge")),
            List.of(List.of("predictor"), List.of("reflector_1"), List.of("reflector_2", "checker"), List.of("judge")),
            "judge", new TaskDefinition(TaskType.MATH, "answer_tag", "Answer correctly.", "exact"));
    private static final QuestionTrace TRACE = new QuestionTrace("q7", List.of(
            new AgentTrace("predictor", "", "P out", "P short"),
            new AgentTrace("reflector_1", "[predictor]: P short", "R1 out: Step 1 ... The answer is 4.", "no answer kept"),
            new AgentTrace("reflector_2", "[reflector_1]: no answer kept", "R2 out", "R2 short"),
            new AgentTrace("checker", "[reflector_1]: no answer kept", "C out", "C short"),
            new AgentTrace("judge", "...", "J out: The answer is 5.", "J out: The answer is 5.")), "5", false);

    private static AgentDefinition agent(String id) {
        return new AgentDefinition(id, id, id, "{question} {context}", AgentType.LLM);
    }

    @Test
    void aMiddleAgentsCaseShowsTheSummaryItsSuccessorsReadTheirOutputsAndTheFinalOutput() {
        ProposeJob.TraceExample example = SearchDispatch.flagged(MAS, "reflector_1", TRACE, "#q0007 2+2?");
        assertThat(example.questionId()).isEqualTo("q7");
        assertThat(example.context()).isEqualTo("[predictor]: P short");
        assertThat(example.output()).isEqualTo("R1 out: Step 1 ... The answer is 4.");
        assertThat(example.downstreamFailure()).isNotBlank();
        assertThat(example.passedOn()).isEqualTo("no answer kept");
        assertThat(example.successorOutputs()).containsExactly(new ProposeJob.AgentOutput("reflector_2", "R2 out"),
                new ProposeJob.AgentOutput("checker", "C out"));
        assertThat(example.finalOutput()).isEqualTo(new ProposeJob.AgentOutput("judge", "J out: The answer is 5."));
    }

    @Test
    void theTerminalsDirectPredecessorShowsTheTerminalOnlyAsTheFinalOutputAndTheTerminalShowsNothingMore() {
        ProposeJob.TraceExample beforeTerminal = SearchDispatch.flagged(MAS, "checker", TRACE, "#q0007 2+2?");
        assertThat(beforeTerminal.successorOutputs()).isEmpty();
        assertThat(beforeTerminal.finalOutput()).isEqualTo(new ProposeJob.AgentOutput("judge", "J out: The answer is 5."));
        assertThat(beforeTerminal.passedOn()).isEqualTo("C short");

        ProposeJob.TraceExample terminal = SearchDispatch.flagged(MAS, "judge", TRACE, "#q0007 2+2?");
        assertThat(terminal.passedOn()).isNull();
        assertThat(terminal.successorOutputs()).isEmpty();
        assertThat(terminal.finalOutput()).isNull();
    }
}
