package ai.maspo.orchestrator.rest;

import ai.maspo.infra.test.KafkaTestResource;
import ai.maspo.infra.test.PostgresTestResource;
import ai.maspo.orchestrator.domain.BuiltInTopologies;
import ai.maspo.orchestrator.persistence.RunStatus;
import ai.maspo.orchestrator.search.Strategy;
import ai.maspo.orchestrator.service.RunView;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import static ai.maspo.orchestrator.testsupport.TestAuth.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * The OpenAPI document at /q/openapi describes the run API as it behaves: enums hold the names the API accepts,
 * every run endpoint declares its error bodies, and its examples are accepted as they are.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, initArgs = @ResourceArg(name = KafkaTestResource.USER_ARG, value = "orchestrator"))
@QuarkusTestResource(PostgresTestResource.class)
class OpenApiDocumentTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ERROR_BODY = "#/components/schemas/ErrorBody";

    /** What a client generator does first: parse and validate the document; then the UI that browses it is served. */
    @Test
    void theDocumentValidatesAndSwaggerUiIsServed() {
        String document = RestAssured.given().accept(ContentType.JSON).get("/q/openapi?format=json").then()
                .statusCode(200).extract().asString();
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(document, null, new ParseOptions());
        assertThat(parsed.getMessages()).as("parser messages").isEmpty();
        assertThat(parsed.getOpenAPI().getPaths()).containsKeys("/api/v1/runs", "/api/v1/runs/{id}",
                "/api/v1/runs/{id}/cancel", "/api/v1/runs/{id}/events");
        assertThat(parsed.getOpenAPI().getComponents().getSecuritySchemes()).isNotEmpty();
        RestAssured.given().get("/q/swagger-ui/").then().statusCode(200).body(containsString("swagger"));
    }

    @Test
    void enumsListTheNamesTheApiAccepts() {
        JsonNode schemas = document().path("components").path("schemas");
        assertThat(texts(schemas.path("Strategy").path("enum")))
                .isEqualTo(Arrays.stream(Strategy.values()).map(Strategy::wireName).toList());
        assertThat(texts(schemas.path("Mas").path("properties").path("topology").path("enum")))
                .isEqualTo(BuiltInTopologies.NAMES);
        assertThat(texts(schemas.path("RunStatus").path("enum")))
                .isEqualTo(Arrays.stream(RunStatus.values()).map(Enum::name).toList());
        String strategy = "#/components/schemas/Strategy";
        assertThat(schemas.path("Search").path("properties").path("strategy").path("$ref").asText()).isEqualTo(strategy);
        assertThat(schemas.path("Search").path("properties").path("strategy").path("default").asText()).isEqualTo("maspo");
        assertThat(schemas.path("RunView").path("properties").path("strategy").path("$ref").asText()).isEqualTo(strategy);
        assertThat(schemas.path("PromptExport").path("properties").path("strategy").path("$ref").asText()).isEqualTo(strategy);
        assertThat(schemas.path("RunView").path("properties").path("status").path("$ref").asText())
                .isEqualTo("#/components/schemas/RunStatus");
    }

    @Test
    void everyRunEndpointDescribesItsErrors() {
        JsonNode document = document();
        JsonNode paths = document.path("paths");
        List<String> runPaths = new ArrayList<>();
        paths.fieldNames().forEachRemaining(p -> {
            if (p.startsWith("/api/v1/runs/{id}")) {
                runPaths.add(p);
            }
        });
        assertThat(runPaths).contains("/api/v1/runs/{id}", "/api/v1/runs/{id}/cancel", "/api/v1/runs/{id}/history");
        for (String path : runPaths) {
            paths.path(path).properties().forEach(operation -> {
                JsonNode responses = operation.getValue().path("responses");
                assertThat(responses.path("400").path("$ref").asText()).as("400 of %s %s", operation.getKey(), path)
                        .isEqualTo("#/components/responses/" + ApiExamples.INVALID_ID_RESPONSE);
                assertThat(responses.path("404").path("$ref").asText()).as("404 of %s %s", operation.getKey(), path)
                        .isEqualTo("#/components/responses/" + ApiExamples.NOT_FOUND_RESPONSE);
            });
        }
        JsonNode shared = document.path("components").path("responses");
        for (String name : List.of(ApiExamples.INVALID_ID_RESPONSE, ApiExamples.NOT_FOUND_RESPONSE)) {
            assertThat(errorSchema(shared.path(name))).as(name).isEqualTo(ERROR_BODY);
        }
        assertThat(errorSchema(paths.path("/api/v1/runs/{id}/cancel").path("post").path("responses").path("409")))
                .isEqualTo(ERROR_BODY);
        assertThat(errorSchema(paths.path("/api/v1/runs").path("get").path("responses").path("400"))).isEqualTo(ERROR_BODY);
        assertThat(errorSchema(paths.path("/api/v1/runs").path("post").path("responses").path("400"))).isEqualTo(ERROR_BODY);
        JsonNode errorBody = document.path("components").path("schemas").path("ErrorBody").path("properties");
        assertThat(errorBody.path("error").path("type").asText()).isEqualTo("string");
        assertThat(errorBody.path("violations").path("items").path("$ref").asText())
                .isEqualTo("#/components/schemas/FieldError");
    }

    @Test
    void theRunListDeclaresItsParametersWithTheirBounds() {
        JsonNode list = document().path("paths").path("/api/v1/runs").path("get");
        Map<String, JsonNode> parameters = new java.util.HashMap<>();
        list.path("parameters").forEach(p -> parameters.put(p.path("name").asText(), p.path("schema")));
        assertThat(parameters).containsOnlyKeys("page", "size", "sort", "direction", "status", "strategy", "name");
        assertThat(parameters.get("size").path("maximum").asInt()).isEqualTo(100);
        assertThat(parameters.get("size").path("default").asInt()).isEqualTo(20);
        assertThat(parameters.get("page").path("minimum").asInt()).isZero();
        assertThat(texts(parameters.get("sort").path("enum"))).containsExactly("createdAt", "name", "status");
        assertThat(parameters.get("status").path("items").path("$ref").asText()).isEqualTo("#/components/schemas/RunStatus");
        assertThat(parameters.get("strategy").path("items").path("$ref").asText()).isEqualTo("#/components/schemas/Strategy");
        assertThat(list.path("responses").path("200").path("content").path("application/json").path("schema")
                .path("$ref").asText()).isEqualTo("#/components/schemas/RunPage");
    }

    /**
     * Each run spec example, one per built-in topology among them, is accepted as published (the dataset one with a
     * real dataset id).
     */
    @Test
    void theRunSpecExamplesAreAccepted() {
        JsonNode examples = document().path("paths").path("/api/v1/runs").path("post").path("requestBody")
                .path("content").path("application/json").path("examples");
        List<String> names = new ArrayList<>();
        examples.fieldNames().forEachRemaining(names::add);
        assertThat(names).as("the annotated two and one per built-in topology")
                .hasSize(2 + BuiltInTopologies.NAMES.size()).containsAll(BuiltInTopologies.NAMES.stream().map(t -> "built-in topology " + t).toList());
        String datasetId = importDataset();
        examples.forEach(example -> {
            String spec = example.path("value").toString().replace("DATASET_ID", datasetId);
            given().contentType(ContentType.JSON).body(spec).post("/api/v1/runs").then().statusCode(201)
                    .body("status", equalTo("RUNNING"));
        });
    }

    /** The run view examples have exactly the view's fields, with values the API can give. */
    @Test
    void theRunViewExamplesMatchTheView() {
        JsonNode examples = document().path("paths").path("/api/v1/runs/{id}").path("get").path("responses")
                .path("200").path("content").path("application/json").path("examples");
        List<String> fields = Arrays.stream(RunView.class.getRecordComponents()).map(c -> c.getName()).toList();
        assertThat(examples.size()).isEqualTo(2);
        examples.forEach(example -> {
            JsonNode run = example.path("value");
            List<String> given = new ArrayList<>();
            run.fieldNames().forEachRemaining(given::add);
            assertThat(given).isEqualTo(fields);
            assertThat(RunStatus.valueOf(run.path("status").asText())).isNotNull();
            assertThat(Strategy.fromWireName(run.path("strategy").asText())).isPresent();
        });
    }

    private static String importDataset() {
        StringBuilder jsonl = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            jsonl.append("{\"id\":\"oa").append(i).append("\",\"question\":\"What is ").append(i)
                    .append(" + 4?\",\"answer\":\"").append(i + 4).append("\"}\n");
        }
        return given().contentType(ContentType.JSON)
                .body(Map.of("name", "openapi-example", "format", "simulator", "content", jsonl.toString(),
                        "split", Map.of("poolSize", 20, "testSize", 10, "seed", 1)))
                .post("/api/v1/datasets").then().statusCode(201).extract().path("id");
    }

    private static String errorSchema(JsonNode response) {
        return response.path("content").path("application/json").path("schema").path("$ref").asText();
    }

    private static List<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    private static JsonNode document() {
        try {
            return JSON.readTree(RestAssured.given().accept(ContentType.JSON).get("/q/openapi?format=json").then()
                    .statusCode(200).extract().asString());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
