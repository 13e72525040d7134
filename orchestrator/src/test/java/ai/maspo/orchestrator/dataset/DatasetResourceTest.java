package ai.maspo.orchestrator.dataset;

import static ai.maspo.orchestrator.testsupport.TestAuth.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import ai.maspo.infra.test.KafkaTestResource;
import ai.maspo.infra.test.PostgresTestResource;
import ai.maspo.orchestrator.testsupport.TestAuth;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, initArgs = @ResourceArg(name = KafkaTestResource.USER_ARG, value = "orchestrator"))
@QuarkusTestResource(PostgresTestResource.class)
class DatasetResourceTest {

    @Inject
    DatasetStore store;

    @Test
    void aquaSplitFilesAreImportedStoredAndServed() throws IOException {
        Map<String, Object> body = Map.of("name", "AQuA-RAT", "format", "aqua_rat", "split", Map.of("poolSize", 50, "seed", 5,
                "pool", Map.of("content", read("aqua/val.jsonl")), "test", Map.of("content", read("aqua/test.jsonl"))));
        String id = given().contentType(ContentType.JSON).body(body).post("/api/v1/datasets")
                .then().statusCode(201)
                .header("Location", startsWith("http"))
                .body("poolSize", equalTo(50)).body("testSize", equalTo(254)).body("format", equalTo("aqua_rat"))
                .body("suggestedTask.type", equalTo("CHOICE")).body("suggestedTask.checker", equalTo("choice"))
                .extract().path("id");

        given().get("/api/v1/datasets/" + id).then().statusCode(200).body("name", equalTo("AQuA-RAT")).body("seed", equalTo(5));
        given().get("/api/v1/datasets").then().statusCode(200).body("id", hasItem(id));

        List<String> pool = given().get("/api/v1/datasets/" + id + "/questions?split=pool").then().statusCode(200)
                .extract().jsonPath().getList("id");
        List<Map<String, Object>> test = given().get("/api/v1/datasets/" + id + "/questions?split=TEST").then().statusCode(200)
                .extract().jsonPath().getList("$");
        assertThat(pool).hasSize(50).allMatch(itemId -> itemId.startsWith("pool-line-"));
        assertThat(test).hasSize(254);
        assertThat(test.getFirst()).containsEntry("id", "test-line-1").containsEntry("reference", "A");
        assertThat((String) test.getFirst().get("text")).startsWith("A car is being driven").contains("A ) 5 ( √ 3 + 1 )");
    }

    @Test
    void codeQuestionsCarryTheirTestSpec() throws IOException {
        String id = given().contentType(ContentType.JSON)
                .body(Map.of("name", "MBPP", "format", "mbpp", "content", read("mbpp/sanitized-mbpp.jsonl"),
                        "split", Map.of("poolSize", 50, "testSize", 100, "seed", 1)))
                .post("/api/v1/datasets").then().statusCode(201).body("testSize", equalTo(100)).extract().path("id");
        List<Map<String, Object>> test = given().get("/api/v1/datasets/" + id + "/questions?split=test").then().statusCode(200)
                .extract().jsonPath().getList("$");
        assertThat(test).hasSize(100).allSatisfy(question -> {
            assertThat(question.get("id").toString()).startsWith("mbpp/");
            @SuppressWarnings("unchecked")
            Map<String, Object> spec = (Map<String, Object>) question.get("testSpec");
            assertThat((List<?>) spec.get("tests")).isNotEmpty();
        });
        Set<Object> poolIds = new HashSet<>(given().get("/api/v1/datasets/" + id + "/questions?split=pool").then()
                .extract().jsonPath().getList("id"));
        assertThat(test).noneMatch(question -> poolIds.contains(question.get("id")));
    }

    @Test
    void badInputIsRefusedWith400NamingLineAndFieldAndStoresNothing() {
        long datasets = DatasetEntity.count();
        long items = DatasetItemEntity.count();
        String goodLines = DatasetImporterTest.simulatorLines(10);

        refused(Map.of("name", "s", "format", "simulator", "content", goodLines + "{\"id\": \"#q99\", \"question\": \"oops\"\n"))
                .body("line", equalTo(11)).body("field", equalTo(null)).body("error", startsWith("line 11: not valid JSON"));
        refused(Map.of("name", "s", "format", "simulator", "content", goodLines + "{\"id\":\"#q99\",\"answer\":\"1\"}"))
                .body("line", equalTo(11)).body("field", equalTo("question")).body("error", equalTo("line 11 field 'question': missing field"));
        refused(Map.of("name", "s", "format", "parquet", "content", goodLines))
                .body("field", equalTo("format")).body("error", startsWith("field 'format': unknown format 'parquet'"));
        refused(Map.of("name", "s", "format", "simulator", "path", "/etc/passwd")).body("field", equalTo("path"));
        refused(Map.of("name", "s", "format", "simulator", "content", goodLines,
                "split", Map.of("poolSize", 5, "test", Map.of("content", goodLines))))
                .body("field", equalTo("split.pool"));
        given().contentType(ContentType.JSON).body(Map.of("name", "s", "format", "simulator", "content", goodLines, "colour", "red"))
                .post("/api/v1/datasets").then().statusCode(400);

        assertThat(DatasetEntity.count()).as("nothing half-imported").isEqualTo(datasets);
        assertThat(DatasetItemEntity.count()).isEqualTo(items);
    }

    @Test
    void aFailureWhileStoringRollsBackTheWholeDataset() {
        long datasets = DatasetEntity.count();
        long items = DatasetItemEntity.count();
        DatasetItem good = new DatasetItem("ok", "question", "1", null, Map.of(), 1);
        DatasetItem tooLong = new DatasetItem("x".repeat(400), "question 2", "2", null, Map.of(), 2);
        ImportedDataset dataset = new ImportedDataset("broken", DatasetFormat.SIMULATOR, 0, List.of(good), List.of(tooLong), 0);
        assertThatThrownBy(() -> store.save(dataset, TestAuth.USER)).isNotNull();
        assertThat(DatasetEntity.count()).isEqualTo(datasets);
        assertThat(DatasetItemEntity.count()).isEqualTo(items);
    }

    @Test
    void unknownDatasetsAndSplitsAreReported() {
        given().get("/api/v1/datasets/nope").then().statusCode(404).body("error", equalTo("no dataset with id nope"));
        given().get("/api/v1/datasets/nope/questions?split=pool").then().statusCode(404);
        given().get("/api/v1/datasets/nope/questions?split=train").then().statusCode(400).body("field", equalTo("split"));
    }

    private static ValidatableResponse refused(Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body).post("/api/v1/datasets").then().statusCode(400);
    }

    private static String read(String relative) throws IOException {
        return Files.readString(Path.of(SharedDatasets.path(relative)));
    }
}
