package ai.maspo.orchestrator.rest;

import ai.maspo.infra.test.KafkaTestResource;
import ai.maspo.infra.test.PostgresTestResource;
import ai.maspo.orchestrator.metrics.PlatformGauges;
import ai.maspo.protocol.EvaluationRequest;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static ai.maspo.orchestrator.testsupport.TestAuth.asAdmin;
import static ai.maspo.orchestrator.testsupport.TestAuth.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/**
 * A malformed result goes to the dead-letter topic, an operator finds it through the API with the reason, replays it
 * corrected (twice: the second replay changes nothing) and the run completes. Bad requests are 400s naming the field.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, initArgs = @ResourceArg(name = KafkaTestResource.USER_ARG, value = "orchestrator"))
@QuarkusTestResource(PostgresTestResource.class)
class DeadLetterOpsTest {

    private static final String DLQ = "maspo.evaluation-results.dlq";

    @Inject
    ObjectMapper mapper;
    @Inject
    PlatformGauges gauges;
    @Inject
    MeterRegistry registry;

    @Test
    void aMalformedResultIsListedWithItsReasonAndReplayedCorrected() {
        WirePlayer player = new WirePlayer(mapper);
        String runId = player.submit("dlq-" + UUID.randomUUID());
        List<EvaluationRequest> baseline = player.drawMinibatch(runId);
        String answer = player.baselineAnswer(baseline.get(0));
        String malformed = answer.substring(0, answer.length() / 2); // cut short in transit: not JSON

        player.reportSpendOf(baseline.get(0), answer); // the evaluator paid and said so; its answer broke in transit
        player.answer(baseline.get(0), malformed);
        Map<String, Object> dead = await().atMost(WirePlayer.WAIT).until(() -> deadLetterOf(runId), r -> r != null);
        assertThat(dead.get("payload")).isEqualTo(malformed);
        @SuppressWarnings("unchecked")
        Map<String, String> headers = (Map<String, String>) dead.get("headers");
        assertThat(headers).containsKey("dead-letter-reason").containsEntry("dead-letter-topic", "maspo.evaluation-results");
        gauges.refreshDeadLetters(); // as its schedule does every minute
        assertThat(registry.find("maspo.dlq.records").tag("topic", DLQ).gauge()).as("the DLQ gauge").isNotNull()
                .extracting(g -> g.value()).asInstanceOf(InstanceOfAssertFactories.DOUBLE)
                .isGreaterThanOrEqualTo(1.0);
        asAdmin().get("/api/v1/admin/dlq").then().statusCode(200)
                .body("topic", hasItem(DLQ))
                .body("find { it.topic == '" + DLQ + "' }.originalTopic", equalTo("maspo.evaluation-results"));

        Map<String, Object> replay = Map.of("records", List.of(Map.of("partition", dead.get("partition"),
                "offset", dead.get("offset"), "payload", answer)));
        for (int i = 0; i < 2; i++) {
            asAdmin().contentType(ContentType.JSON).body(replay).post("/api/v1/admin/dlq/" + DLQ + "/replay")
                    .then().statusCode(200).body("replayed", equalTo(1)).body("toTopic", equalTo("maspo.evaluation-results"));
        }
        // The corrected answer counts once (3 calls); a second baseline answer crosses the budget of 5.
        await().atMost(WirePlayer.WAIT).untilAsserted(() -> given().get("/api/v1/runs/" + runId).then()
                .body("progress.baseline.done", equalTo(1)));
        player.answer(baseline.get(1), player.baselineAnswer(baseline.get(1)));
        player.finishTesting(runId);
    }

    @Test
    void badRequestsNameTheirField() {
        asAdmin().get("/api/v1/admin/dlq/maspo.evaluation-results").then().statusCode(400)
                .body("violations[0].field", equalTo("topic"));
        asAdmin().get("/api/v1/admin/dlq/" + DLQ + "?limit=0").then().statusCode(400)
                .body("violations[0].field", equalTo("limit"));
        asAdmin().get("/api/v1/admin/dlq/" + DLQ + "?limit=100000").then().statusCode(400)
                .body("violations[0].field", equalTo("limit"));
        asAdmin().get("/api/v1/admin/dlq/" + DLQ + "?offset=-1").then().statusCode(400)
                .body("violations[0].field", equalTo("offset"));
        asAdmin().get("/api/v1/admin/dlq/" + DLQ + "?partition=x").then().statusCode(400)
                .body("violations[0].field", equalTo("partition"));
        asAdmin().get("/api/v1/admin/dlq/" + DLQ + "?partition=99").then().statusCode(400)
                .body("violations[0].field", equalTo("partition"));
        asAdmin().get("/api/v1/admin/dlq/no-such-topic.dlq").then().statusCode(404);
        String replay = "/api/v1/admin/dlq/" + DLQ + "/replay";
        asAdmin().contentType(ContentType.JSON).body("{}").post(replay).then().statusCode(400)
                .body("violations[0].field", equalTo("records"));
        asAdmin().contentType(ContentType.JSON).body("{\"all\": true, \"records\": [{\"partition\": 0, \"offset\": 0}]}")
                .post(replay).then().statusCode(400).body("violations[0].field", equalTo("records"));
        asAdmin().contentType(ContentType.JSON).body("{\"records\": [{\"partition\": 0}]}").post(replay).then()
                .statusCode(400).body("violations[0].field", equalTo("records[0].offset"));
        asAdmin().contentType(ContentType.JSON).body("{\"records\": [{\"partition\": 0, \"offset\": 1000000}]}")
                .post(replay).then().statusCode(400).body("violations[0].field", equalTo("records[0].offset"));
        asAdmin().contentType(ContentType.JSON).body("{\"records\": [{\"partition\": 7, \"offset\": 0}]}").post(replay)
                .then().statusCode(400).body("violations[0].field", equalTo("records[0].partition"));
    }

    /** The dead-lettered record of this run, if any yet. */
    private static Map<String, Object> deadLetterOf(String runId) {
        JsonPath page = asAdmin().get("/api/v1/admin/dlq/" + DLQ + "?limit=500").then().statusCode(200).extract().jsonPath();
        return page.<Map<String, Object>>getList("records").stream().filter(r -> runId.equals(r.get("key")))
                .findFirst().orElse(null);
    }
}
