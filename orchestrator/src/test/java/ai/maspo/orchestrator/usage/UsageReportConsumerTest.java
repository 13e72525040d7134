package ai.maspo.orchestrator.usage;

import ai.maspo.infra.test.KafkaTestResource;
import ai.maspo.infra.test.PostgresTestResource;
import ai.maspo.infra.test.TopicProbe;
import ai.maspo.orchestrator.rest.RunSpecs;
import ai.maspo.protocol.ModelRole;
import ai.maspo.protocol.Topics;
import ai.maspo.protocol.Usage;
import ai.maspo.protocol.UsageReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static ai.maspo.orchestrator.testsupport.TestAuth.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * The spend ledger over a real broker and PostgreSQL: each report counted once, the run's cost is their sum, a
 * withdrawal (negative calls: an attempt counted before it was sent that never reached the server) included.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, initArgs = @ResourceArg(name = KafkaTestResource.USER_ARG, value = "orchestrator"))
@QuarkusTestResource(PostgresTestResource.class)
class UsageReportConsumerTest {

    @Inject
    ObjectMapper mapper;

    @Inject
    EntityManager entityManager;

    @Test
    void reportsAreSummedOnceEvenWhenDeliveredTwiceAndUnknownRunsAreIgnored() throws Exception {
        String runId = given().contentType(ContentType.JSON).body(RunSpecs.reflect(10, 2, 2)).post("/api/v1/runs")
                .then().statusCode(201).extract().path("id");
        String ghostRun = "ghost-" + UUID.randomUUID();
        List<UsageReport> reports = List.of(
                report(runId, new Usage(ModelRole.AGENT, 3, 1, 300, 40, 12), new Usage(ModelRole.JUDGE, 2, 0, 90, 4, 7)),
                report(runId, new Usage(ModelRole.AGENT, 1, 0, 100, 10, 50)),
                report(runId, new Usage(ModelRole.OPTIMIZER, 1, 0, 500, 200, 30)),
                report(runId, new Usage(ModelRole.JUDGE, -1, 0, 0, 0, 0)),
                report(ghostRun, new Usage(ModelRole.AGENT, 1000, 0, 1, 1, 1)));
        for (UsageReport report : reports) {
            TopicProbe.send(Topics.USAGE_REPORTS, report.runId(), mapper.writeValueAsString(report));
        }
        // Kafka redelivers: the same reports again, counted once.
        for (UsageReport report : reports) {
            TopicProbe.send(Topics.USAGE_REPORTS, report.runId(), mapper.writeValueAsString(report));
        }
        String marker = report(runId, new Usage(ModelRole.AGENT, 0, 5, 0, 0, 0)).reportId();
        TopicProbe.send(Topics.USAGE_REPORTS, runId, mapper.writeValueAsString(
                new UsageReport(marker, runId, "marker", List.of(new Usage(ModelRole.AGENT, 0, 5, 0, 0, 0)))));
        await().atMost(Duration.ofSeconds(30)).until(() -> rows("report_id = '" + marker + "'") == 1);

        given().get("/api/v1/runs/" + runId).then().statusCode(200)
                .body("cost.find { it.role == 'AGENT' }.calls", equalTo(4))
                .body("cost.find { it.role == 'AGENT' }.cachedCalls", equalTo(6))
                .body("cost.find { it.role == 'AGENT' }.promptTokens", equalTo(400))
                .body("cost.find { it.role == 'AGENT' }.millis", equalTo(62))
                .body("cost.find { it.role == 'JUDGE' }.calls", equalTo(1))
                .body("cost.find { it.role == 'OPTIMIZER' }.completionTokens", equalTo(200));
        assertThat(rows("run_id = '" + runId + "'")).isEqualTo(6);
        assertThat(rows("run_id = '" + ghostRun + "'")).isZero();
    }

    @Test
    void elapsedTimeIsTheUnionOfAttemptSpansAndDollarsComeFromTheRolesPrice() throws Exception {
        // agent (and the optimizer, same model): the spec's own price; judge: the server's table (%test profile)
        var spec = RunSpecs.reflect(10, 2, 2);
        RunSpecs.at(spec, "models").putAll(Map.of("agent", Map.of("model", "sequential-trap", "price",
                Map.of("inputPerMillion", 2, "outputPerMillion", 10, "cachedInputPerMillion", 1)),
                "judge", Map.of("model", "table-model")));
        String runId = given().contentType(ContentType.JSON).body(spec).post("/api/v1/runs")
                .then().statusCode(201).extract().path("id");
        long t = 1_700_000_000_000L;
        send(report(runId, new Usage(ModelRole.AGENT, 2, 0, 1000, 100, 1500, 400, t, t + 1000),
                new Usage(ModelRole.JUDGE, 1, 0, 2000, 10, 300, 0, t + 100, t + 400)));
        // overlaps the first span: counted once
        send(report(runId, new Usage(ModelRole.AGENT, 1, 0, 500, 50, 1000, 0, t + 500, t + 2000)));
        // after a pause of 2 s: a busy interval of its own
        send(report(runId, new Usage(ModelRole.AGENT, 1, 0, 0, 0, 500, 0, t + 4000, t + 4500)));
        // an evaluator that reports no span (an older version): its time is summed, its elapsed time unknown
        String last = send(report(runId, new Usage(ModelRole.OPTIMIZER, 1, 0, 1000, 1000, 800)));
        await().atMost(Duration.ofSeconds(30)).until(() -> rows("report_id = '" + last + "'") == 1);

        JsonNode run = mapper.readTree(given().get("/api/v1/runs/" + runId).then().statusCode(200).extract().asString());
        JsonNode agent = role(run, "AGENT");
        assertThat(agent.get("millis").asLong()).as("summed").isEqualTo(3000);
        assertThat(agent.get("elapsedMillis").asLong()).as("[t, t+2000] and [t+4000, t+4500]").isEqualTo(2500);
        assertThat(agent.get("cachedPromptTokens").asLong()).isEqualTo(400);
        // (1,100 x 2 + 400 x 1 + 150 x 10) / 1e6
        assertThat(agent.get("costUsd").decimalValue()).isEqualByComparingTo("0.0041");
        // (2,000 x 0.5 + 10 x 1.5) / 1e6
        assertThat(role(run, "JUDGE").get("costUsd").decimalValue()).isEqualByComparingTo("0.001015");
        assertThat(role(run, "JUDGE").get("elapsedMillis").asLong()).isEqualTo(300);
        assertThat(role(run, "OPTIMIZER").get("costUsd").decimalValue()).isEqualByComparingTo("0.012");
        assertThat(role(run, "OPTIMIZER").get("elapsedMillis").isNull()).isTrue();
        assertThat(run.get("costUsd").decimalValue()).isEqualByComparingTo("0.017115");
    }

    @Test
    void aModelWithoutAKnownPriceHasAnUnknownCostNeverZero() throws Exception {
        var spec = RunSpecs.reflect(10, 2, 2);
        RunSpecs.at(spec, "models").put("judge", Map.of("model", "table-model"));
        String runId = given().contentType(ContentType.JSON).body(spec).post("/api/v1/runs")
                .then().statusCode(201).extract().path("id");
        String last = send(report(runId, new Usage(ModelRole.AGENT, 1, 0, 10, 10, 10),
                new Usage(ModelRole.JUDGE, 1, 0, 1_000_000, 0, 10)));
        await().atMost(Duration.ofSeconds(30)).until(() -> rows("report_id = '" + last + "'") == 2);

        JsonNode run = mapper.readTree(given().get("/api/v1/runs/" + runId).then().statusCode(200).extract().asString());
        assertThat(role(run, "AGENT").get("costUsd").isNull()).as("sequential-trap has no price").isTrue();
        assertThat(role(run, "JUDGE").get("costUsd").decimalValue()).isEqualByComparingTo("0.5");
        assertThat(run.get("costUsd").isNull()).as("a paid role without a price: the total is unknown").isTrue();
    }

    private String send(UsageReport report) throws Exception {
        TopicProbe.send(Topics.USAGE_REPORTS, report.runId(), mapper.writeValueAsString(report));
        return report.reportId();
    }

    private static JsonNode role(JsonNode run, String role) {
        for (JsonNode cost : run.get("cost")) {
            if (cost.get("role").asText().equals(role)) {
                return cost;
            }
        }
        throw new AssertionError("no cost of role " + role + " in " + run);
    }

    @Test
    void aMalformedReportIsDeadLetteredAndTheRestOfItsBatchCounted() throws Exception {
        String runId = given().contentType(ContentType.JSON).body(RunSpecs.reflect(10, 2, 2)).post("/api/v1/runs")
                .then().statusCode(201).extract().path("id");
        String key = "malformed-usage-" + System.nanoTime();
        TopicProbe.send(Topics.USAGE_REPORTS, key, "{\"reportId\": ");
        TopicProbe.send(Topics.USAGE_REPORTS, key, mapper.writeValueAsString(
                new UsageReport("r-" + key, runId, "job", List.of(new Usage(null, 1, 0, 1, 1, 1)))));
        UsageReport valid = report(runId, new Usage(ModelRole.AGENT, 7, 0, 70, 7, 7));
        TopicProbe.send(Topics.USAGE_REPORTS, runId, mapper.writeValueAsString(valid));

        assertThat(TopicProbe.await(Topics.deadLetter(Topics.USAGE_REPORTS), r -> key.equals(r.key()), 2,
                Duration.ofSeconds(30))).hasSize(2);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/api/v1/runs/" + runId + "/cost")
                .then().body("find { it.role == 'AGENT' }.calls", equalTo(7)));
    }

    private static UsageReport report(String runId, Usage... usage) {
        return new UsageReport(UUID.randomUUID().toString(), runId, runId + "/job", List.of(usage));
    }

    private long rows(String where) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) entityManager.createNativeQuery(
                "select count(*) from orchestrator.llm_usage where " + where).getSingleResult()).longValue());
    }
}
