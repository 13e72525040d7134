package ai.maspo.orchestrator.rest;

import ai.maspo.infra.test.KafkaTestResource;
import ai.maspo.infra.test.PostgresTestResource;
import ai.maspo.infra.test.TopicProbe;
import ai.maspo.protocol.AgentTrace;
import ai.maspo.protocol.BaselineJob;
import ai.maspo.protocol.BaselineTraces;
import ai.maspo.protocol.EvaluationRequest;
import ai.maspo.protocol.EvaluationResult;
import ai.maspo.protocol.MasTraces;
import ai.maspo.protocol.Minibatch;
import ai.maspo.protocol.MinibatchRequest;
import ai.maspo.protocol.ModelRole;
import ai.maspo.protocol.QuestionTrace;
import ai.maspo.protocol.RegisterPool;
import ai.maspo.protocol.ResultStatus;
import ai.maspo.protocol.RunMasJob;
import ai.maspo.protocol.SamplerCommand;
import ai.maspo.protocol.Topics;
import ai.maspo.protocol.Usage;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static ai.maspo.orchestrator.testsupport.TestAuth.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/**
 * The orchestrator's side of a run over a real broker and PostgreSQL, with this test playing sampler and
 * evaluators on the wire: what it is sent, and how answers (including repeats and failures) move the run.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class RunFlowTest {

    @Inject
    ObjectMapper mapper;

    @Test
    void aBudgetCeilingStopsTheSearchCleanlyAndTheTestSetIsMeasured() throws Exception {
        Map<String, Object> spec = small(RunSpecs.reflect(20, 3, 4));
        spec.put("budget", Map.of("maxLlmCalls", 5));
        String runId = submit(spec);

        var commands = TopicProbe.await(Topics.MINIBATCH_REQUESTS, r -> runId.equals(r.key()), 2, Duration.ofSeconds(30));
        RegisterPool pool = (RegisterPool) mapper.readValue(commands.get(0).value(), SamplerCommand.class);
        MinibatchRequest request = (MinibatchRequest) mapper.readValue(commands.get(1).value(), SamplerCommand.class);
        assertThat(pool.pool()).hasSize(20).allSatisfy(q -> assertThat(q.reference()).isNull());
        assertThat(request.agentId()).isEqualTo("predictor");
        assertThat(request.size()).isEqualTo(4);

        TopicProbe.send(Topics.MINIBATCHES, runId, mapper.writeValueAsString(
                new Minibatch(request.requestId(), runId, "predictor", 0, pool.pool().subList(0, 4), List.of())));
        List<EvaluationRequest> baseline = jobs(runId, "/baseline", 4);
        assertThat(baseline).allSatisfy(r -> {
            assertThat(r.mas().levels()).containsExactly(List.of("predictor"), List.of("reflector"));
            BaselineJob job = (BaselineJob) r.job();
            assertThat(job.agentId()).isEqualTo("predictor");
            assertThat(job.questions()).hasSize(1);
        });

        // Three paid calls per answer: the second answer crosses the ceiling of 5 and the search stops.
        answerBaseline(baseline.get(0));
        answerBaseline(baseline.get(0)); // a redelivered answer is not counted twice
        answerBaseline(baseline.get(1));
        List<EvaluationRequest> seedTests = jobs(runId, "/test-seed/", 3);
        List<EvaluationRequest> bestTests = jobs(runId, "/test-best/", 3);
        for (int i = 0; i < 3; i++) {
            answerTest(seedTests.get(i), i == 0);
            answerTest(bestTests.get(i), i < 2);
        }

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/api/v1/runs/" + runId).then()
                .body("status", equalTo("COMPLETED")));
        given().get("/api/v1/runs/" + runId).then()
                .body("finishReason", containsString("budget"))
                .body("seedAccuracy", equalTo(1 / 3f))
                .body("optimizedAccuracy", equalTo(2 / 3f))
                .body("bestPrompts.predictor", equalTo("Solve step by step.\n{question}"))
                .body("cost.find { it.role == 'AGENT' }.calls", equalTo(2 * 3 + 6 * 3));
        given().get("/api/v1/runs/" + runId + "/export").then().statusCode(200)
                .body("prompts.reflector", equalTo("Check the solution.\n{question}\n{context}"));
    }

    @Test
    void aFailedJobFailsItsLayerAndTheSearchMovesOn() throws Exception {
        String runId = submit(small(RunSpecs.reflect(10, 2, 2)));
        var commands = TopicProbe.await(Topics.MINIBATCH_REQUESTS, r -> runId.equals(r.key()), 2, Duration.ofSeconds(30));
        RegisterPool pool = (RegisterPool) mapper.readValue(commands.get(0).value(), SamplerCommand.class);
        MinibatchRequest request = (MinibatchRequest) mapper.readValue(commands.get(1).value(), SamplerCommand.class);
        TopicProbe.send(Topics.MINIBATCHES, runId, mapper.writeValueAsString(
                new Minibatch(request.requestId(), runId, "predictor", 0, pool.pool().subList(0, 2), List.of())));
        EvaluationRequest job = jobs(runId, "/baseline", 2).getFirst();

        TopicProbe.send(Topics.EVALUATION_RESULTS, runId, mapper.writeValueAsString(new EvaluationResult(job.requestId(),
                runId, ResultStatus.FAILED, "agent call failed after retries: HTTP 500", null, List.of())));

        // The predictor's layer is recorded as failed and the reflector's turn begins with its own mini-batch.
        var next = TopicProbe.await(Topics.MINIBATCH_REQUESTS, r -> runId.equals(r.key()) && r.value().contains("reflector"),
                1, Duration.ofSeconds(30));
        assertThat(((MinibatchRequest) mapper.readValue(next.getFirst().value(), SamplerCommand.class)).memoryAgents())
                .containsExactly("predictor");
        given().get("/api/v1/runs/" + runId + "/history").then().statusCode(200)
                .body("[0].agent", equalTo("predictor")).body("[0].status", startsWith("FAILED"));
        given().get("/api/v1/runs/" + runId).then().body("status", equalTo("RUNNING"))
                .body("progress.baseline.failed", equalTo(1));
    }

    @Test
    void aRunCanTakeItsQuestionsFromAnImportedDataset() throws Exception {
        StringBuilder jsonl = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            jsonl.append("{\"id\":\"d").append(i).append("\",\"question\":\"#d").append(i)
                    .append(" What is ").append(i).append(" + 2?\",\"answer\":\"").append(i + 2).append("\"}\n");
        }
        String datasetId = given().contentType(ContentType.JSON)
                .body(Map.of("name", "arith", "format", "simulator", "content", jsonl.toString(),
                        "split", Map.of("poolSize", 20, "testSize", 10, "seed", 3)))
                .post("/api/v1/datasets").then().statusCode(201).extract().path("id");
        Map<String, Object> spec = RunSpecs.reflect(1, 1, 4);
        spec.put("data", Map.of("datasetId", datasetId));

        String runId = submit(spec);

        var commands = TopicProbe.await(Topics.MINIBATCH_REQUESTS, r -> runId.equals(r.key()), 1, Duration.ofSeconds(30));
        RegisterPool pool = (RegisterPool) mapper.readValue(commands.getFirst().value(), SamplerCommand.class);
        assertThat(pool.pool()).hasSize(20).allSatisfy(q -> {
            assertThat(q.id()).startsWith("d");
            assertThat(q.reference()).as("the pool carries no labels").isNull();
        });
    }

    @Test
    void malformedAnswersGoToTheDeadLetterTopic() {
        String key = "malformed-" + System.nanoTime();
        TopicProbe.send(Topics.EVALUATION_RESULTS, key, "[1, 2");
        TopicProbe.send(Topics.MINIBATCHES, key, "{\"requestId\": 3}");
        assertThat(TopicProbe.await(Topics.deadLetter(Topics.EVALUATION_RESULTS), r -> key.equals(r.key()), 1,
                Duration.ofSeconds(30))).hasSize(1);
        assertThat(TopicProbe.await(Topics.deadLetter(Topics.MINIBATCHES), r -> key.equals(r.key()), 1,
                Duration.ofSeconds(30))).hasSize(1);
    }

    @Test
    void unknownRunIs404() {
        given().get("/api/v1/runs/does-not-exist").then().statusCode(404);
    }

    private String submit(Map<String, Object> spec) {
        return given().contentType(ContentType.JSON).body(spec).post("/api/v1/runs")
                .then().statusCode(201).body("status", equalTo("RUNNING"))
                .extract().path("id");
    }

    private List<EvaluationRequest> jobs(String runId, String kind, int n) {
        return TopicProbe.await(Topics.EVALUATION_REQUESTS, r -> r.key().startsWith(runId + ":")
                        && r.value().contains(runId + kind), n, Duration.ofSeconds(30)).stream()
                .map(r -> read(r.value())).toList();
    }

    /** One layer per agent, one node, one candidate: the smallest search. */
    private static Map<String, Object> small(Map<String, Object> spec) {
        RunSpecs.at(spec, "search").putAll(Map.of("layersPerAgent", 1, "layersPerTurn", 1, "beamWidth", 1,
                "candidatesPerNode", 1));
        return spec;
    }

    private static QuestionTrace trace(String questionId, Boolean correct) {
        return new QuestionTrace(questionId, List.of(new AgentTrace("predictor", "", "out", "short"),
                new AgentTrace("reflector", "short", "final", "final")), "1", correct);
    }

    /** Plays the evaluator on a baseline job: a trace per node, three paid agent calls. */
    private void answerBaseline(EvaluationRequest request) throws Exception {
        BaselineJob job = (BaselineJob) request.job();
        Map<String, List<QuestionTrace>> traces = new java.util.TreeMap<>();
        job.nodePrompts().keySet().forEach(node -> traces.put(node, List.of(trace(job.questions().getFirst().id(), null))));
        reply(request, new BaselineTraces(traces));
    }

    /** Plays the evaluator on a test job with the given correctness. */
    private void answerTest(EvaluationRequest request, boolean correct) throws Exception {
        reply(request, new MasTraces(List.of(trace(((RunMasJob) request.job()).questions().getFirst().id(), correct))));
    }

    private void reply(EvaluationRequest request, ai.maspo.protocol.EvaluationOutcome outcome) throws Exception {
        TopicProbe.send(Topics.EVALUATION_RESULTS, request.runId(), mapper.writeValueAsString(new EvaluationResult(
                request.requestId(), request.runId(), ResultStatus.SUCCEEDED, null, outcome,
                List.of(new Usage(ModelRole.AGENT, 3, 0, 100, 20, 5)))));
    }

    private EvaluationRequest read(String json) {
        try {
            return mapper.readValue(json, EvaluationRequest.class);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
