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
import ai.maspo.protocol.ModelSettings;
import ai.maspo.protocol.ReasoningEffort;
import ai.maspo.protocol.QuestionTrace;
import ai.maspo.protocol.RegisterPool;
import ai.maspo.protocol.ResultStatus;
import ai.maspo.protocol.RunMasJob;
import ai.maspo.protocol.SamplerCommand;
import ai.maspo.protocol.Topics;
import ai.maspo.protocol.Usage;
import ai.maspo.protocol.UsageReport;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static ai.maspo.orchestrator.testsupport.TestAuth.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

/**
 * The orchestrator's side of a run over a real broker and PostgreSQL, with this test playing sampler and
 * evaluators on the wire: what it is sent, and how answers (including repeats and failures) move the run.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, initArgs = @ResourceArg(name = KafkaTestResource.USER_ARG, value = "orchestrator"))
@QuarkusTestResource(PostgresTestResource.class)
class RunFlowTest {

    /** readiness on the management interface, where health lives (relative to its root, /q) */
    @TestHTTPResource(value = "/health/ready", management = true)
    java.net.URL managementHealth;


    @Inject
    ObjectMapper mapper;

    @Test
    void aBudgetCeilingStopsTheSearchCleanlyAndTheTestSetIsMeasured() throws Exception {
        runASmallBudgetedRunToCompletion();
    }

    /** The request that once ran 83 s in the HTTP transaction and failed the reply channel is refused at once. */
    @Test
    void aRequestForAnEndlessSearchIsRefusedAndRunsStillComplete() throws Exception {
        Map<String, Object> endless = small(RunSpecs.reflect(20, 3, 4));
        RunSpecs.at(endless, "search").put("layersPerAgent", Integer.MAX_VALUE);
        long started = System.nanoTime();
        given().contentType(ContentType.JSON).body(endless).post("/api/v1/runs").then().statusCode(400)
                .body("violations.field", org.hamcrest.Matchers.hasItem("search.layersPerAgent"));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));

        runASmallBudgetedRunToCompletion();
        RestAssured.given().get(managementHealth).then().statusCode(200);
    }

    private void runASmallBudgetedRunToCompletion() throws Exception {
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
    void aBuiltInTopologyIsShownSpelledOut() {
        Map<String, Object> spec = small(RunSpecs.reflect(10, 2, 2));
        spec.put("mas", Map.of("topology", "reflect", "size", 2));
        String runId = submit(spec);
        given().get("/api/v1/runs/" + runId + "/mas").then().statusCode(200)
                .body("agents.id", contains("predictor", "reflector_1", "reflector_2"))
                .body("agents[0].promptTemplate", containsString("{question}"))
                .body("edges.from", contains("predictor", "reflector_1"))
                .body("edges.to", contains("reflector_1", "reflector_2"))
                .body("terminal", equalTo("reflector_2"))
                .body("levels", hasSize(3));
    }

    @Test
    void aFailedJobIsTriedAgainAndOnlyThenFailsItsLayer() throws Exception {
        String runId = submit(small(RunSpecs.reflect(10, 2, 2)));
        drawFirstMinibatch(runId, 2);
        EvaluationRequest job = jobs(runId, "/baseline", 2).getFirst();

        // Attempts 1 and 2 fail: each time the same job comes again under a new request id.
        failJob(job);
        EvaluationRequest second = job(job.requestId() + "#2");
        assertThat(second.job()).isEqualTo(job.job());
        failJob(second);
        failJob(second); // a repeated failure is one failure, not a third attempt
        EvaluationRequest third = job(job.requestId() + "#3");
        given().get("/api/v1/runs/" + runId).then().body("progress.baseline.failed", equalTo(0))
                .body("progress.baseline.total", equalTo(2));
        failJob(third);

        // After the last attempt the predictor's layer is recorded as failed and the reflector's turn begins.
        var next = TopicProbe.await(Topics.MINIBATCH_REQUESTS, r -> runId.equals(r.key()) && r.value().contains("reflector"),
                1, Duration.ofSeconds(30));
        assertThat(((MinibatchRequest) mapper.readValue(next.getFirst().value(), SamplerCommand.class)).memoryAgents())
                .containsExactly("predictor");
        assertThatThrownBy(() -> TopicProbe.await(Topics.EVALUATION_REQUESTS,
                r -> r.value().contains(job.requestId() + "#4"), 1, Duration.ofSeconds(3)))
                .as("no fourth attempt").isInstanceOf(AssertionError.class);
        given().get("/api/v1/runs/" + runId + "/history").then().statusCode(200)
                .body("[0].agent", equalTo("predictor")).body("[0].status", startsWith("FAILED"));
        given().get("/api/v1/runs/" + runId).then().body("status", equalTo("RUNNING"))
                .body("progress.baseline.failed", equalTo(1)).body("progress.baseline.total", equalTo(2));
    }

    @Test
    void aTestJobThatFailsForGoodCountsAsWrongAndTheRunCompletes() throws Exception {
        Map<String, Object> spec = small(RunSpecs.reflect(20, 3, 4));
        spec.put("budget", Map.of("maxLlmCalls", 1));
        String runId = submit(spec);
        drawFirstMinibatch(runId, 4);
        answerBaseline(jobs(runId, "/baseline", 4).getFirst()); // crosses the budget: the test phase begins

        List<EvaluationRequest> seedTests = jobs(runId, "/test-seed/", 3);
        List<EvaluationRequest> bestTests = jobs(runId, "/test-best/", 3);
        failJob(seedTests.get(0));
        failJob(job(seedTests.get(0).requestId() + "#2"));
        failJob(job(seedTests.get(0).requestId() + "#3"));
        for (int i = 0; i < 3; i++) {
            if (i > 0) {
                answerTest(seedTests.get(i), true);
            }
            answerTest(bestTests.get(i), true);
        }

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/api/v1/runs/" + runId).then()
                .body("status", equalTo("COMPLETED")));
        given().get("/api/v1/runs/" + runId).then()
                .body("seedAccuracy", equalTo(2 / 3f))
                .body("optimizedAccuracy", equalTo(1f))
                .body("testFailures", equalTo("1 of 6 test jobs failed (counted as wrong answers)"))
                .body("progress.test-seed.failed", equalTo(1));
    }

    @Test
    void theRolesParametersReachTheJobsAndAMoneyBudgetEndsTheSearch() throws Exception {
        Map<String, Object> spec = small(RunSpecs.reflect(20, 3, 4));
        // 1,000 USD per million tokens: one baseline answer (100 prompt + 20 completion tokens) costs 0.12 USD
        RunSpecs.at(spec, "models").put("agent", Map.of("model", "sequential-trap", "maxTokens", 64, "topP", 0.5,
                "stop", List.of("END"), "sendSeed", false, "reasoningEffort", "low",
                "extraBody", Map.of("user", "flow-test"),
                "price", Map.of("inputPerMillion", 1000, "outputPerMillion", 1000)));
        RunSpecs.at(spec, "models").put("judge", Map.of("model", "sequential-trap", "temperature", 0.1));
        spec.put("budget", Map.of("maxCostUsd", 0.1));
        String runId = submit(spec);
        drawFirstMinibatch(runId, 4);
        EvaluationRequest baseline = jobs(runId, "/baseline", 4).getFirst();

        ModelSettings agent = baseline.models().agent();
        assertThat(agent.maxTokens()).isEqualTo(64);
        assertThat(agent.topP()).isEqualTo(0.5);
        assertThat(agent.stop()).containsExactly("END");
        assertThat(agent.omitSeed()).isTrue();
        assertThat(agent.reasoningEffort()).isEqualTo(ReasoningEffort.LOW);
        assertThat(agent.extraBody()).containsOnlyKeys("user");
        assertThat(baseline.models().optimizer()).as("defaults: model and temperature only")
                .isEqualTo(new ModelSettings("sequential-trap", 0.7));
        assertThat(baseline.models().judge()).isEqualTo(new ModelSettings("sequential-trap", 0.1));

        answerBaseline(baseline); // 0.12 USD crosses the 0.1 USD budget: the test phase begins
        assertThat(jobs(runId, "/test-seed/", 3)).hasSize(3);
        given().get("/api/v1/runs/" + runId).then().body("phase", equalTo("TESTING"))
                .body("finishReason", containsString("0.120000 USD reached the ceiling of 0.1 USD"))
                .body("cost.find { it.role == 'AGENT' }.costUsd", equalTo(0.12f))
                .body("costUsd", equalTo(0.12f));
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

    /** Plays the sampler on the run's first mini-batch request: the first {@code size} questions of its pool. */
    private void drawFirstMinibatch(String runId, int size) throws Exception {
        var commands = TopicProbe.await(Topics.MINIBATCH_REQUESTS, r -> runId.equals(r.key()), 2, Duration.ofSeconds(30));
        RegisterPool pool = (RegisterPool) mapper.readValue(commands.get(0).value(), SamplerCommand.class);
        MinibatchRequest request = (MinibatchRequest) mapper.readValue(commands.get(1).value(), SamplerCommand.class);
        TopicProbe.send(Topics.MINIBATCHES, runId, mapper.writeValueAsString(
                new Minibatch(request.requestId(), runId, "predictor", 0, pool.pool().subList(0, size), List.of())));
    }

    private List<EvaluationRequest> jobs(String runId, String kind, int n) {
        return TopicProbe.await(Topics.EVALUATION_REQUESTS, r -> r.key().startsWith(runId + ":")
                        && r.value().contains(runId + kind), n, Duration.ofSeconds(30)).stream()
                .map(r -> read(r.value())).toList();
    }

    private EvaluationRequest job(String requestId) {
        return read(TopicProbe.await(Topics.EVALUATION_REQUESTS,
                r -> r.value().contains("\"requestId\":\"" + requestId + "\""), 1, Duration.ofSeconds(30)).getFirst().value());
    }

    private void failJob(EvaluationRequest job) throws Exception {
        TopicProbe.send(Topics.EVALUATION_RESULTS, job.runId(), mapper.writeValueAsString(new EvaluationResult(
                job.requestId(), job.runId(), ResultStatus.FAILED, "agent call failed after retries: HTTP 500", null,
                List.of())));
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

    /**
     * As an evaluator does: the spend is reported on its own topic as it is paid (a repeat of a job resends the same
     * report here, as Kafka redelivery would), then the result, which carries usage for information only.
     */
    private void reply(EvaluationRequest request, ai.maspo.protocol.EvaluationOutcome outcome) throws Exception {
        List<Usage> usage = List.of(new Usage(ModelRole.AGENT, 3, 0, 100, 20, 5));
        TopicProbe.send(Topics.USAGE_REPORTS, request.runId(), mapper.writeValueAsString(
                new UsageReport(request.requestId() + "/usage", request.runId(), request.requestId(), usage)));
        // The budget check reads the ledger when the result arrives: let the report land first.
        await().atMost(Duration.ofSeconds(30)).until(() -> usageReported(request));
        TopicProbe.send(Topics.EVALUATION_RESULTS, request.runId(), mapper.writeValueAsString(new EvaluationResult(
                request.requestId(), request.runId(), ResultStatus.SUCCEEDED, null, outcome, usage)));
    }

    @Inject
    EntityManager entityManager;

    private boolean usageReported(EvaluationRequest request) {
        long rows = QuarkusTransaction.requiringNew().call(() -> ((Number) entityManager.createNativeQuery(
                "select count(*) from orchestrator.llm_usage where report_id = ?1")
                .setParameter(1, request.requestId() + "/usage").getSingleResult()).longValue());
        return rows > 0;
    }

    private EvaluationRequest read(String json) {
        try {
            return mapper.readValue(json, EvaluationRequest.class);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
