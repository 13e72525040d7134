package ai.maspo.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The wire format is a contract between separately deployed services: polymorphic messages must name their kind. */
class WireFormatTest {

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void evaluationRequestRoundTripsWithItsJobKind() throws Exception {
        var task = new TaskDefinition(TaskType.MATH, "answer_tag", "Answer correctly.", "exact");
        var agent = new AgentDefinition("solver", "Solver", "solves", "Solve: {question}", AgentType.LLM);
        var mas = new MasDefinition(List.of(agent), List.of(), List.of(List.of("solver")), "solver", task);
        var models = new ModelRoles(new ModelSettings("m", 0), new ModelSettings("m", 0.7), new ModelSettings("m", 0));
        var job = new RunMasJob(Map.of("solver", "Solve: {question}"), List.of(new Question("q1", "1+1?", "2", null)));
        var request = new EvaluationRequest("r1", "run1", 7, mas, models, job);

        String json = mapper.writeValueAsString(request);
        JsonNode tree = mapper.readTree(json);

        assertThat(tree.path("job").path("type").asText()).isEqualTo("run-mas");
        assertThat(mapper.readValue(json, EvaluationRequest.class)).isEqualTo(request);
    }

    @Test
    void samplerCommandsAreDistinguishedOnOneTopic() throws Exception {
        SamplerCommand register = new RegisterPool("run1", List.of(new Question("q1", "text", null, null)));
        SamplerCommand request = new MinibatchRequest("mb1", "run1", "solver", 0, 10, 5, List.of(), 3);

        for (SamplerCommand command : List.of(register, request)) {
            String json = mapper.writerFor(SamplerCommand.class).writeValueAsString(command);
            assertThat(mapper.readValue(json, SamplerCommand.class)).isEqualTo(command);
        }
        assertThat(mapper.readTree(mapper.writerFor(SamplerCommand.class).writeValueAsString(register))
                .path("type").asText()).isEqualTo("register-pool");
    }

    @Test
    void aProposeJobWithoutTheDownstreamFieldsOfOlderSendersStillReads() throws Exception {
        String old = """
                {"type":"propose","agentId":"critic","currentPrompt":"{question} {context}","seed":3,
                 "traces":[{"questionId":"q1","question":"1+1?","context":"[solver]: 2","output":"The answer is 2."}],
                 "misalignmentCases":[{"questionId":"q2","question":"2+2?","context":null,"output":"The answer is 4.",
                                       "downstreamFailure":"worse downstream"}]}""";
        ProposeJob job = (ProposeJob) mapper.readValue(old, EvaluationJob.class);
        assertThat(job.traces().get(0)).isEqualTo(ProposeJob.TraceExample.plain("q1", "1+1?", "[solver]: 2", "The answer is 2."));
        ProposeJob.TraceExample flagged = job.misalignmentCases().get(0);
        assertThat(flagged.downstreamFailure()).isEqualTo("worse downstream");
        assertThat(flagged.passedOn()).isNull();
        assertThat(flagged.successorOutputs()).isEmpty();
        assertThat(flagged.finalOutput()).isNull();

        var shown = new ProposeJob.TraceExample("q2", "2+2?", null, "The answer is 4.", "worse downstream",
                "No final result.", List.of(new ProposeJob.AgentOutput("critic", "The answer is 5.")),
                new ProposeJob.AgentOutput("judge", "The answer is 5."));
        var withEvidence = new ProposeJob("solver", "{question}", List.of(), List.of(shown), 3);
        assertThat(mapper.readValue(mapper.writeValueAsString(withEvidence), EvaluationJob.class)).isEqualTo(withEvidence);
    }
}
