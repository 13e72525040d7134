package ai.maspo.orchestrator.rest;

import ai.maspo.infra.test.KafkaTestResource;
import ai.maspo.infra.test.PostgresTestResource;
import ai.maspo.orchestrator.testsupport.TestAuth;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

/** A caller sees and uses only its own runs and datasets; someone else's are 404 like missing ones; admins see all. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, initArgs = @ResourceArg(name = KafkaTestResource.USER_ARG, value = "orchestrator"))
@QuarkusTestResource(PostgresTestResource.class)
class OwnershipTest {

    private static final List<String> RUN_READS = List.of("", "/history", "/best-prompts", "/mas", "/cost", "/export");

    @Test
    void anotherOwnersRunIsNotFoundAndNotListed() {
        String runId = TestAuth.as("olivia").contentType(ContentType.JSON).body(RunSpecs.reflect(4, 2, 2))
                .post("/api/v1/runs").then().statusCode(201).body("owner", equalTo("olivia")).extract().path("id");

        for (String read : RUN_READS) {
            TestAuth.as("olivia").get("/api/v1/runs/" + runId + read).then().statusCode(200);
            TestAuth.as("mallory").get("/api/v1/runs/" + runId + read).then().statusCode(404)
                    .body("error", equalTo("no run with id " + runId));
            TestAuth.asAdmin().get("/api/v1/runs/" + runId + read).then().statusCode(200);
        }
        TestAuth.as("olivia").get("/api/v1/runs").then().statusCode(200).body("items.id", hasItem(runId))
                .body("items.owner", not(hasItem(not(equalTo("olivia")))));
        TestAuth.as("mallory").get("/api/v1/runs").then().statusCode(200).body("items.id", not(hasItem(runId)));
        // newest first: the run just submitted is on the first page
        TestAuth.asAdmin().get("/api/v1/runs").then().statusCode(200).body("items.id", hasItem(runId));
    }

    @Test
    void onlyTheOwnerOrAnAdminCancelsARun() {
        String runId = TestAuth.as("olivia").contentType(ContentType.JSON).body(RunSpecs.reflect(4, 2, 2))
                .post("/api/v1/runs").then().statusCode(201).extract().path("id");

        TestAuth.as("mallory").post("/api/v1/runs/" + runId + "/cancel").then().statusCode(404)
                .body("error", equalTo("no run with id " + runId));
        TestAuth.as("olivia").get("/api/v1/runs/" + runId).then().body("status", equalTo("RUNNING"));
        TestAuth.asAdmin().post("/api/v1/runs/" + runId + "/cancel").then().statusCode(200)
                .body("status", equalTo("STOPPED"))
                .body("finishReason", equalTo("cancelled by " + TestAuth.ADMIN));
        TestAuth.as("olivia").get("/api/v1/runs/" + runId).then().body("status", equalTo("STOPPED"));
        // Stopped or not, someone else's run stays invisible.
        TestAuth.as("mallory").post("/api/v1/runs/" + runId + "/cancel").then().statusCode(404);
    }

    @Test
    void anotherOwnersDatasetIsNotFoundNotListedAndCannotBeRunOn() {
        StringBuilder jsonl = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            jsonl.append("{\"id\":\"o").append(i).append("\",\"question\":\"#o").append(i).append(" What is ").append(i)
                    .append(" + 3?\",\"answer\":\"").append(i + 3).append("\"}\n");
        }
        String datasetId = TestAuth.as("olivia").contentType(ContentType.JSON)
                .body(Map.of("name", "private", "format", "simulator", "content", jsonl.toString(),
                        "split", Map.of("poolSize", 8, "testSize", 4, "seed", 1)))
                .post("/api/v1/datasets").then().statusCode(201).body("owner", equalTo("olivia")).extract().path("id");

        for (String read : List.of("", "/questions?split=pool", "/questions?split=test")) {
            TestAuth.as("olivia").get("/api/v1/datasets/" + datasetId + read).then().statusCode(200);
            TestAuth.as("mallory").get("/api/v1/datasets/" + datasetId + read).then().statusCode(404)
                    .body("error", equalTo("no dataset with id " + datasetId));
            TestAuth.asAdmin().get("/api/v1/datasets/" + datasetId + read).then().statusCode(200);
        }
        TestAuth.as("mallory").get("/api/v1/datasets").then().statusCode(200).body("id", not(hasItem(datasetId)));
        TestAuth.as("olivia").get("/api/v1/datasets").then().statusCode(200).body("id", hasItem(datasetId));
        TestAuth.asAdmin().get("/api/v1/datasets").then().statusCode(200).body("id", hasItem(datasetId));

        Map<String, Object> spec = RunSpecs.reflect(1, 1, 2);
        spec.put("data", Map.of("datasetId", datasetId));
        TestAuth.as("mallory").contentType(ContentType.JSON).body(spec).post("/api/v1/runs").then().statusCode(400)
                .body("violations[0].field", equalTo("data.datasetId"))
                .body("violations[0].message", equalTo("no dataset with id '" + datasetId + "'"));
        TestAuth.as("mallory").get("/api/v1/runs").then().body("items.name", not(hasItem("reflect-test")));
        TestAuth.as("olivia").contentType(ContentType.JSON).body(spec).post("/api/v1/runs").then().statusCode(201);
    }
}
