package ai.maspo.orchestrator.rest;

import ai.maspo.infra.test.KafkaTestResource;
import ai.maspo.infra.test.PostgresTestResource;
import ai.maspo.infra.test.TopicProbe;
import ai.maspo.protocol.EvaluationRequest;
import ai.maspo.protocol.Topics;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static ai.maspo.orchestrator.testsupport.TestAuth.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

/**
 * Cancel over a real broker and PostgreSQL, with {@link WirePlayer} as sampler and evaluators: the run ends STOPPED
 * with the best prompts so far, nothing more is sent for it, answers that come later are ignored, their spend counts.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, initArgs = @ResourceArg(name = KafkaTestResource.USER_ARG, value = "orchestrator"))
@QuarkusTestResource(PostgresTestResource.class)
class RunCancelTest {

    private static final String PROMPT_1 = "Solve it carefully, digit by digit.\n{question}";
    private static final String PROMPT_2 = "Estimate first, then solve.\n{question}";
    private static final int CALLS_PER_ANSWER = 3;

    @Inject
    ObjectMapper mapper;

    @Inject
    EntityManager entityManager;

    /**
     * Beam 1, two candidates: the first candidate's four scoring jobs are answered (it wins), the second's are not
     * when the run is cancelled. The layer is closed with the judged candidate, which becomes the best prompt.
     */
    @Test
    void cancelMidSearchKeepsTheBestPromptsSoFarSendsNothingMoreAndIgnoresLateAnswers() {
        WirePlayer player = new WirePlayer(mapper);
        Map<String, Object> spec = RunSpecs.reflect(4, 3, 4);
        RunSpecs.at(spec, "search").putAll(Map.of("layersPerAgent", 1, "layersPerTurn", 1, "beamWidth", 1,
                "candidatesPerNode", 2));
        String runId = player.submit(spec, "cancel-" + UUID.randomUUID());

        for (EvaluationRequest job : player.drawMinibatch(runId)) {
            player.answer(job, player.baselineAnswer(job));
        }
        // Candidate c0 gets PROMPT_1 (the two jobs are on different partitions, so in no fixed order on the wire).
        List<EvaluationRequest> proposals = player.jobs(runId, "/propose/", 2).stream()
                .sorted(java.util.Comparator.comparing(EvaluationRequest::requestId)).toList();
        assertThat(proposals.get(0).requestId()).endsWith("/c0");
        player.answer(proposals.get(0), player.proposalAnswer(proposals.get(0), PROMPT_1));
        player.answer(proposals.get(1), player.proposalAnswer(proposals.get(1), PROMPT_2));
        List<EvaluationRequest> scoring = player.jobs(runId, "/score/", 8);
        List<EvaluationRequest> first = scoring.stream().filter(r -> r.requestId().contains("/c0/")).toList();
        List<EvaluationRequest> second = scoring.stream().filter(r -> r.requestId().contains("/c1/")).toList();
        assertThat(first).hasSize(4);
        assertThat(second).hasSize(4);
        first.forEach(job -> player.answer(job, player.candidateWinsAnswer(job)));
        int paidBeforeCancel = (4 + 2 + 4) * CALLS_PER_ANSWER;
        await().atMost(WirePlayer.WAIT).untilAsserted(() -> given().get("/api/v1/runs/" + runId).then()
                .body("progress.score.done", equalTo(4))
                .body("cost.find { it.role == 'AGENT' }.calls", equalTo(paidBeforeCancel)));

        Instant cancelledAt = Instant.now();
        given().post("/api/v1/runs/" + runId + "/cancel").then().statusCode(200)
                .body("status", equalTo("STOPPED"))
                .body("phase", equalTo("DONE"))
                .body("finishReason", equalTo("cancelled by alice"))
                .body("bestPrompts.predictor", equalTo(PROMPT_1))
                .body("bestPrompts.reflector", equalTo("Check the solution.\n{question}\n{context}"))
                .body("seedAccuracy", nullValue())
                .body("optimizedAccuracy", nullValue());
        // as stored (the answer above carries the clock's nanoseconds, the database keeps microseconds)
        JsonPath stopped = given().get("/api/v1/runs/" + runId).then().extract().jsonPath();
        JsonPath history = given().get("/api/v1/runs/" + runId + "/history").then().statusCode(200).extract().jsonPath();
        assertThat(history.getList("agent", String.class)).last().isEqualTo("predictor");
        assertThat(history.getList("status", String.class)).last()
                .isEqualTo("PARTIAL: cancelled by alice; 1 of 2 candidates judged");
        assertThat(dispatchesOf(runId, "status = 'PENDING' or (status = 'SENT' and published_at is null)"))
                .as("nothing of the run is left to send or to wait for").isZero();

        // The second candidate's answers come after the cancel, each with its paid usage.
        second.forEach(job -> player.answer(job, player.candidateWinsAnswer(job)));
        int paidInAll = paidBeforeCancel + 4 * CALLS_PER_ANSWER;
        await().atMost(WirePlayer.WAIT).untilAsserted(() -> given().get("/api/v1/runs/" + runId).then()
                .body("cost.find { it.role == 'AGENT' }.calls", equalTo(paidInAll)));

        // Ignored: not stored, the run unchanged, no new command (the reflector's turn or a test phase).
        assertThat(repliesTo(second)).isZero();
        given().get("/api/v1/runs/" + runId).then()
                .body("status", equalTo("STOPPED"))
                .body("updatedAt", equalTo(stopped.getString("updatedAt")))
                .body("bestPrompts.predictor", equalTo(PROMPT_1))
                .body("progress.score.done", equalTo(4))
                .body("progress.score.total", equalTo(8));
        assertThat(dispatchesOf(runId, "status <> 'CANCELLED' and (sent_at >= '" + cancelledAt + "'"
                + " or published_at >= '" + cancelledAt + "')")).as("stored or sent after the cancel").isZero();
        assertOnlyOnTheWire(Topics.EVALUATION_REQUESTS, r -> r.key().startsWith(runId + ":"), 4 + 2 + 8);
        assertOnlyOnTheWire(Topics.MINIBATCH_REQUESTS, r -> runId.equals(r.key()), 2);

        // Cancelling again changes nothing.
        given().post("/api/v1/runs/" + runId + "/cancel").then().statusCode(200)
                .body("status", equalTo("STOPPED"))
                .body("finishReason", equalTo("cancelled by alice"))
                .body("finishedAt", equalTo(stopped.getString("finishedAt")));
    }

    /** After the search: test jobs are cancelled, accuracies stay unknown, late test answers are ignored. */
    @Test
    void cancelWhileMeasuringTestAccuracyStopsWithoutAccuracies() {
        WirePlayer player = new WirePlayer(mapper);
        String runId = player.submit("cancel-testing-" + UUID.randomUUID());
        List<EvaluationRequest> baseline = player.drawMinibatch(runId);
        player.answer(baseline.get(0), player.baselineAnswer(baseline.get(0)));
        player.answer(baseline.get(1), player.baselineAnswer(baseline.get(1))); // the budget of 5 calls is spent
        List<EvaluationRequest> tests = player.jobs(runId, "/test-seed/", 3);
        given().get("/api/v1/runs/" + runId).then().body("phase", equalTo("TESTING"));

        given().post("/api/v1/runs/" + runId + "/cancel").then().statusCode(200)
                .body("status", equalTo("STOPPED"))
                .body("phase", equalTo("DONE"))
                .body("finishReason", startsWith("cancelled by alice while measuring test accuracy (the search had "
                        + "ended: budget exhausted: "))
                .body("bestPrompts.predictor", equalTo("Solve step by step.\n{question}"))
                .body("seedAccuracy", nullValue());
        assertThat(dispatchesOf(runId, "status = 'PENDING'")).as("test jobs still awaited").isZero();

        tests.forEach(job -> player.answer(job, player.testAnswer(job, true)));
        await().atMost(WirePlayer.WAIT).untilAsserted(() -> given().get("/api/v1/runs/" + runId).then()
                .body("cost.find { it.role == 'AGENT' }.calls", equalTo(5 * CALLS_PER_ANSWER)));
        assertThat(repliesTo(tests)).isZero();
        given().get("/api/v1/runs/" + runId).then().body("status", equalTo("STOPPED"))
                .body("seedAccuracy", nullValue()).body("progress.test-seed.done", equalTo(0));
    }

    @Test
    void aCompletedRunCannotBeCancelled() {
        WirePlayer player = new WirePlayer(mapper);
        String runId = player.submit("cancel-completed-" + UUID.randomUUID());
        List<EvaluationRequest> baseline = player.drawMinibatch(runId);
        player.answer(baseline.get(0), player.baselineAnswer(baseline.get(0)));
        player.answer(baseline.get(1), player.baselineAnswer(baseline.get(1)));
        player.finishTesting(runId);

        given().post("/api/v1/runs/" + runId + "/cancel").then().statusCode(409)
                .body("error", equalTo("run " + runId + " already ended COMPLETED; only a PENDING or RUNNING run "
                        + "can be cancelled"))
                .body("violations", org.hamcrest.Matchers.empty());
        given().get("/api/v1/runs/" + runId).then().body("status", equalTo("COMPLETED"))
                .body("finishReason", startsWith("budget exhausted"));
    }

    @Test
    void cancelOfAnUnknownRunIs404() {
        given().post("/api/v1/runs/no-such-run/cancel").then().statusCode(404)
                .body("error", equalTo("no run with id no-such-run"));
    }

    /**
     * Reads the whole topic and checks that exactly {@code expected} records match: one more is awaited in vain, and
     * the failure says how many were found, so the probe did read them (an empty read would find 0).
     */
    private static void assertOnlyOnTheWire(String topic,
                                            java.util.function.Predicate<org.apache.kafka.clients.consumer.ConsumerRecord<String, String>> match,
                                            int expected) {
        assertThatThrownBy(() -> TopicProbe.await(topic, match, expected + 1, Duration.ofSeconds(5)))
                .isInstanceOf(AssertionError.class).hasMessageEndingWith("found " + expected);
    }

    private long dispatchesOf(String runId, String condition) {
        return count("select count(*) from orchestrator.dispatch where run_id = '" + runId + "' and (" + condition + ")");
    }

    private long repliesTo(List<EvaluationRequest> jobs) {
        return count("select count(*) from orchestrator.job_reply where request_id in ("
                + String.join(", ", jobs.stream().map(j -> "'" + j.requestId() + "'").toList()) + ")");
    }

    private long count(String sql) {
        return QuarkusTransaction.requiringNew().call(() ->
                ((Number) entityManager.createNativeQuery(sql).getSingleResult()).longValue());
    }
}
