package ai.maspo.orchestrator.rest;

import ai.maspo.infra.test.KafkaTestResource;
import ai.maspo.infra.test.PostgresTestResource;
import ai.maspo.orchestrator.dataset.DatasetEntity;
import ai.maspo.orchestrator.domain.Limits;
import ai.maspo.orchestrator.persistence.RunEntity;
import ai.maspo.orchestrator.testsupport.TestAuth;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.util.RawValue;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests a hostile or careless client sends, built as data: every numeric, string and enum field of a valid run
 * spec mutated, malformed and mistyped bodies, NUL and lone surrogates in bodies, paths and queries, bounds
 * exceeded, oversized bodies, and the same for dataset import. Each case asserts: no 5xx; a 400 naming the field
 * at fault where a field is at fault; no Java type name or stack trace in the body; no run and no dataset created
 * (counted through the API and in the database).
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, initArgs = @ResourceArg(name = KafkaTestResource.USER_ARG, value = "orchestrator"))
@QuarkusTestResource(PostgresTestResource.class)
class HostileRequestCorpusTest {

    /** non-ASCII as \\u escapes, so that lone surrogates reach the server as such (UTF-8 cannot carry them) */
    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonWriteFeature.ESCAPE_NON_ASCII.mappedFeature());
    private static final String RUNS = "/api/v1/runs";
    private static final String DATASETS = "/api/v1/datasets";
    private static final String NUL = "\u0000";

    /**
     * @param body   sent as is (UTF-8); null sends no body
     * @param status expected status; 0 means any 4xx
     * @param field  the violation's field, null when no field is at fault
     */
    record Case(String name, String method, String path, String body, int status, String field) {
    }

    /** The one place every request of this test is built (authentication, when the API has it, is added here). */
    static RequestSpecification api() {
        return TestAuth.given().urlEncodingEnabled(false);
    }

    @TestFactory
    Stream<DynamicTest> corpus() {
        List<Case> cases = new ArrayList<>();
        runSpecFields(cases);
        runSpecStructure(cases);
        runSpecBounds(cases);
        parameters(cases);
        datasets(cases);
        assertThat(cases).hasSizeGreaterThanOrEqualTo(150);
        int[] listed = new int[2];
        return Stream.of(Stream.of(DynamicTest.dynamicTest("count through the API", () -> {
                            listed[0] = listed(RUNS);
                            listed[1] = listed(DATASETS);
                        })),
                        cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c))),
                        Stream.of(DynamicTest.dynamicTest("nothing listed after the corpus", () -> {
                            assertThat(listed(RUNS)).isEqualTo(listed[0]);
                            assertThat(listed(DATASETS)).isEqualTo(listed[1]);
                        })))
                .flatMap(s -> s);
    }

    /** Runs come in pages that carry their total; datasets as one list. */
    private static int listed(String collection) {
        var list = api().get(collection).then().statusCode(200).extract().jsonPath();
        return collection.equals(RUNS) ? list.getInt("totalItems") : list.getList("$").size();
    }

    @Test
    void aBodyOverTheSizeLimitIs413AndCreatesNothing() {
        long runs = RunEntity.count();
        String huge = "{\"name\": \"" + "x".repeat(33 * 1024 * 1024) + "\"}";
        // the server answers as soon as it sees the length; without waiting for that answer the client would still be writing
        Response response = api().contentType(ContentType.JSON).header("Expect", "100-continue").body(huge).post(RUNS);
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(RunEntity.count()).isEqualTo(runs);
    }

    @Test
    void anExplicitBudgetAcceptsASearchAboveTheCeiling() {
        Map<String, Object> spec = big();
        set(spec, "budget.maxLlmCalls", 5_000);
        api().contentType(ContentType.JSON).body(json(spec)).post(RUNS).then().statusCode(201);
    }

    private void check(Case c) {
        long runs = RunEntity.count();
        long datasets = DatasetEntity.count();

        RequestSpecification request = api();
        if (c.body() != null) {
            request = request.contentType(ContentType.JSON).body(c.body().getBytes(StandardCharsets.UTF_8));
        }
        Response response = request.request(c.method(), c.path());
        String body = response.asString();

        assertThat(response.statusCode()).as("status of %s: %s", c.name(), body).isLessThan(500);
        if (c.status() == 0) {
            assertThat(response.statusCode()).as("status of %s: %s", c.name(), body).isBetween(400, 499);
        } else {
            assertThat(response.statusCode()).as("status of %s: %s", c.name(), body).isEqualTo(c.status());
        }
        assertThat(body).as("body of %s", c.name()).doesNotContain("java.", "com.fasterxml", "Exception", "\tat ");
        if (c.field() != null) {
            List<String> fields = new ArrayList<>(response.jsonPath().getList("violations.field", String.class) == null
                    ? List.of() : response.jsonPath().getList("violations.field", String.class));
            // dataset import errors locate the problem as source, line and field
            String importField = response.jsonPath().getString("field");
            if (importField != null) {
                fields.add(importField);
            }
            assertThat(fields).as("fields named for %s: %s", c.name(), body).contains(c.field());
        }
        assertThat(RunEntity.count()).as("runs after %s", c.name()).isEqualTo(runs);
        assertThat(DatasetEntity.count()).as("datasets after %s", c.name()).isEqualTo(datasets);
    }

    // --- run specs: every field, mutated

    private static final List<String> AT_LEAST_ONE = List.of("search.beamWidth", "search.candidatesPerNode",
            "search.minibatchSize", "search.layersPerAgent", "search.layersPerTurn", "budget.maxLlmCalls",
            "budget.maxTokens", "budget.maxWallSeconds");
    private static final List<String> AT_LEAST_ZERO = List.of("search.misalignmentCasesKept", "search.maxInjected");
    private static final List<String> WEIGHTS = List.of("search.weights.local", "search.weights.lookahead",
            "search.weights.global");
    private static final Map<String, Integer> STRINGS = new LinkedHashMap<>();

    static {
        STRINGS.put("name", Limits.NAME);
        STRINGS.put("mas.agents[0].id", Limits.AGENT_ID);
        STRINGS.put("mas.agents[0].role", Limits.ROLE);
        STRINGS.put("mas.agents[0].description", Limits.DESCRIPTION);
        STRINGS.put("mas.agents[1].prompt", Limits.PROMPT);
        STRINGS.put("mas.edges[0].from", Limits.AGENT_ID);
        STRINGS.put("mas.edges[0].to", Limits.AGENT_ID);
        STRINGS.put("task.requirement", Limits.REQUIREMENT);
        STRINGS.put("data.pool[0].id", Limits.QUESTION_ID);
        STRINGS.put("data.pool[3].text", Limits.QUESTION_TEXT);
        STRINGS.put("data.pool[1].tests", Limits.TESTS);
        STRINGS.put("data.test[2].reference", Limits.REFERENCE);
        STRINGS.put("models.agent.model", Limits.MODEL);
        STRINGS.put("models.judge.model", Limits.MODEL);
        STRINGS.put("search.strategy", Limits.WORD);
    }

    private static void runSpecFields(List<Case> cases) {
        for (String field : AT_LEAST_ONE) {
            boolean isLong = field.startsWith("budget");
            numeric(cases, field, isLong);
            refused(cases, field + " = 0", spec -> set(spec, field, 0), field);
            refused(cases, field + " = 1.5", spec -> set(spec, field, 1.5), field);
            if (!field.equals("budget.maxTokens")) { // a valid token budget
                refused(cases, field + " = max int", spec -> set(spec, field, Integer.MAX_VALUE), field);
            }
        }
        for (String field : AT_LEAST_ZERO) {
            numeric(cases, field, false);
            refused(cases, field + " = 1.5", spec -> set(spec, field, 1.5), field);
            refused(cases, field + " = max int", spec -> set(spec, field, Integer.MAX_VALUE), field);
        }
        for (String field : WEIGHTS) {
            numeric(cases, field, false);
            refused(cases, field + " = null", spec -> set(spec, field, null), field);
            refused(cases, field + " missing", spec -> set(spec, field, ABSENT), field);
            refused(cases, field + " = 1e308", spec -> set(spec, field, 1e308), field);
            refused(cases, field + " = 1e999", spec -> set(spec, field, new RawValue("1e999")), field);
            refused(cases, field + " = 100.5", spec -> set(spec, field, 100.5), field);
        }
        numeric(cases, "models.agent.temperature", false);
        refused(cases, "temperature 2.5", spec -> set(spec, "models.optimizer.temperature", 2.5), "models.optimizer.temperature");
        refused(cases, "seed as a string", spec -> set(spec, "search.seed", "5"), "search.seed");
        refused(cases, "seed 1.5", spec -> set(spec, "search.seed", 1.5), "search.seed");
        refused(cases, "seed true", spec -> set(spec, "search.seed", true), "search.seed");
        refused(cases, "seed beyond long", spec -> set(spec, "search.seed", new BigInteger("99999999999999999999999")), "search.seed");

        for (Map.Entry<String, Integer> string : STRINGS.entrySet()) {
            String field = string.getKey();
            refused(cases, field + " with NUL", spec -> set(spec, field, "a" + NUL + "b {question}"), field);
            refused(cases, field + " only NUL", spec -> set(spec, field, NUL), field);
            refused(cases, field + " with a lone high surrogate", spec -> set(spec, field, "a\ud800b {question}"), field);
            refused(cases, field + " with a lone low surrogate", spec -> set(spec, field, "a\udc00b {question}"), field);
            refused(cases, field + " with reversed surrogates", spec -> set(spec, field, "\udc00\ud800"), field);
            refused(cases, field + " overlong", spec -> set(spec, field, "{question} {context}" + "x".repeat(string.getValue())), field);
            refused(cases, field + " as a number", spec -> set(spec, field, 7), field);
            refused(cases, field + " as a boolean", spec -> set(spec, field, true), field);
            refused(cases, field + " as an array", spec -> set(spec, field, List.of("a")), field);
            refused(cases, field + " as an object", spec -> set(spec, field, Map.of("a", "b")), field);
        }

        refused(cases, "task.type by ordinal", spec -> set(spec, "task.type", 1), "task.type");
        refused(cases, "task.type unknown", spec -> set(spec, "task.type", "poetry"), "task.type");
        refused(cases, "task.type boolean", spec -> set(spec, "task.type", false), "task.type");
        refused(cases, "task.type NUL", spec -> set(spec, "task.type", "math" + NUL), "task.type");
        refused(cases, "task.extraction unknown", spec -> set(spec, "task.extraction", "nope"), "task.extraction");
        refused(cases, "task.extraction by ordinal", spec -> set(spec, "task.extraction", 0), "task.extraction");
        refused(cases, "task.checker shell", spec -> set(spec, "task.checker", "rm -rf"), "task.checker");
        refused(cases, "task.checker by ordinal", spec -> set(spec, "task.checker", 2), "task.checker");
        refused(cases, "task.checker empty", spec -> set(spec, "task.checker", ""), "task.checker");
        refused(cases, "agent type by ordinal", spec -> set(spec, "mas.agents[0].type", 0), "mas.agents[0].type");
        refused(cases, "agent type unknown", spec -> set(spec, "mas.agents[0].type", "robot"), "mas.agents[0].type");
        refused(cases, "prompt key with NUL", spec -> {
            spec.put("mas", new LinkedHashMap<>(Map.of("topology", "reflect", "size", 2,
                    "prompts", Map.of("reflector" + NUL, "Check.\n{question}\n{context}"))));
        }, "mas.prompts");
        refused(cases, "topology size huge", spec -> spec.put("mas", Map.of("topology", "debate", "size", Integer.MAX_VALUE)),
                "mas.size");
        refused(cases, "topology size 1.5", spec -> spec.put("mas", Map.of("topology", "debate", "size", 1.5)), "mas.size");
        refused(cases, "topology NUL", spec -> spec.put("mas", Map.of("topology", "debate" + NUL)), "mas.topology");
        refused(cases, "datasetId NUL", spec -> spec.put("data", Map.of("datasetId", "x" + NUL)), "data.datasetId");
        refused(cases, "datasetId overlong", spec -> spec.put("data", Map.of("datasetId", "x".repeat(Limits.DATASET_ID + 1))),
                "data.datasetId");
    }

    /** the mistyped values every numeric field must refuse */
    private static void numeric(List<Case> cases, String field, boolean isLong) {
        refused(cases, field + " negative", spec -> set(spec, field, -1), field);
        refused(cases, field + " as a string", spec -> set(spec, field, "3"), field);
        refused(cases, field + " as a boolean", spec -> set(spec, field, true), field);
        refused(cases, field + " as an array", spec -> set(spec, field, List.of(1)), field);
        refused(cases, field + " as an object", spec -> set(spec, field, Map.of("value", 1)), field);
        refused(cases, field + " huge", spec -> set(spec, field, isLong ? Long.MAX_VALUE : 1e308), field);
        refused(cases, field + " beyond any integer", spec -> set(spec, field, new BigInteger("9".repeat(30))), field);
    }

    private static void runSpecStructure(List<Case> cases) {
        String valid = json(valid());
        cases.add(new Case("trailing garbage", "POST", RUNS, valid + " garbage", 400, ""));
        cases.add(new Case("a second document", "POST", RUNS, valid + " {}", 400, ""));
        cases.add(new Case("a trailing bracket", "POST", RUNS, valid + "]", 400, ""));
        cases.add(new Case("truncated", "POST", RUNS, valid.substring(0, valid.length() / 2), 400, null));
        cases.add(new Case("an array for the spec", "POST", RUNS, "[" + valid + "]", 400, ""));
        cases.add(new Case("a string for the spec", "POST", RUNS, "\"spec\"", 400, ""));
        cases.add(new Case("a number for the spec", "POST", RUNS, "42", 400, ""));
        cases.add(new Case("null for the spec", "POST", RUNS, "null", 400, ""));
        cases.add(new Case("an empty body", "POST", RUNS, "", 400, ""));
        cases.add(new Case("an empty object", "POST", RUNS, "{}", 400, null));
        cases.add(new Case("duplicate keys", "POST", RUNS, "{\"name\": \"a\", \"name\": \"b\"}", 400, "name"));
        cases.add(new Case("a raw NUL byte", "POST", RUNS, "{\"name\": \"a" + NUL + "\"}", 400, "name"));
        cases.add(new Case("a NUL escape", "POST", RUNS, "{\"name\": \"a\\u0000\"}", 400, "name"));
        cases.add(new Case("a lone surrogate escape", "POST", RUNS, "{\"name\": \"a\\ud800\"}", 400, "name"));
        cases.add(new Case("single quotes", "POST", RUNS, "{'name': 'a'}", 400, null));
        cases.add(new Case("a comment", "POST", RUNS, "{/* x */ \"name\": \"a\"}", 400, null));
        cases.add(new Case("NaN", "POST", RUNS, "{\"search\": {\"weights\": {\"local\": NaN, \"lookahead\": 1, \"global\": 1}}}",
                400, null));
        cases.add(new Case("nesting 5000 deep", "POST", RUNS, "{\"name\": " + "[".repeat(5000) + "]".repeat(5000) + "}",
                400, null));
        cases.add(new Case("a number of 5000 digits", "POST", RUNS, "{\"search\": {\"seed\": " + "9".repeat(5000) + "}}",
                400, null));
        cases.add(new Case("unknown root field", "POST", RUNS, valid.replaceFirst("\\{", "{\"colour\": 1, "), 400, "colour"));
        refused(cases, "unknown nested field", spec -> set(spec, "search.beamwidth", 2), "search.beamwidth");
        refused(cases, "mas as an array", spec -> spec.put("mas", List.of()), "mas");
        refused(cases, "pool as an object", spec -> set(spec, "data.pool", Map.of("id", "p")), "data.pool");
        refused(cases, "search as a string", spec -> spec.put("search", "fast"), "search");
        refused(cases, "weights as a list", spec -> set(spec, "search.weights", List.of(4, 4, 2)), "search.weights");
        refused(cases, "a question as a string", spec -> set(spec, "data.pool[0]", "What?"), "data.pool[0]");
        cases.add(new Case("no body and no content type", "POST", RUNS, null, 0, null));
    }

    // --- bounds of the search and the total work

    private static void runSpecBounds(List<Case> cases) {
        refused(cases, "layersPerAgent 2147483647 (the finding)", spec -> set(spec, "search.layersPerAgent", Integer.MAX_VALUE),
                "search.layersPerAgent");
        refused(cases, "beamWidth 17", spec -> set(spec, "search.beamWidth", 17), "search.beamWidth");
        refused(cases, "candidatesPerNode 17", spec -> set(spec, "search.candidatesPerNode", 17), "search.candidatesPerNode");
        refused(cases, "layersPerAgent 101", spec -> set(spec, "search.layersPerAgent", 101), "search.layersPerAgent");
        refused(cases, "misalignmentCasesKept 51", spec -> set(spec, "search.misalignmentCasesKept", 51),
                "search.misalignmentCasesKept");
        refused(cases, "maxInjected 101", spec -> set(spec, "search.maxInjected", 101), "search.maxInjected");
        refused(cases, "minibatch above the pool", spec -> set(spec, "search.minibatchSize", 21), "search.minibatchSize");
        refused(cases, "minibatch 201 from a pool of 300", spec -> {
            set(spec, "data.pool", RunSpecs.questions("p", 300, false));
            set(spec, "search.minibatchSize", 201);
        }, "search.minibatchSize");
        refused(cases, "weights all zero", spec -> set(spec, "search.weights", Map.of("local", 0, "lookahead", 0, "global", 0)),
                "search.weights");
        refused(cases, "budget beyond its bound", spec -> set(spec, "budget.maxLlmCalls", Limits.LLM_CALLS + 1),
                "budget.maxLlmCalls");
        refused(cases, "wall time beyond 30 days", spec -> set(spec, "budget.maxWallSeconds", Limits.WALL_SECONDS + 1),
                "budget.maxWallSeconds");
        refused(cases, "33 agents", spec -> set(spec, "mas.agents", agents(33)), "mas.agents");
        refused(cases, "501 edges", spec -> set(spec, "mas.edges", java.util.Collections.nCopies(501,
                Map.of("from", "predictor", "to", "reflector"))), "mas.edges");
        refused(cases, "10,001 pool questions", spec -> set(spec, "data.pool", RunSpecs.questions("p", 10_001, false)),
                "data.pool");
        refused(cases, "10,001 test questions", spec -> set(spec, "data.test", RunSpecs.questions("t", 10_001, true)),
                "data.test");
        cases.add(new Case("estimated work above the ceiling, no budget", "POST", RUNS, json(big()), 400, "budget.maxLlmCalls"));
    }

    /** every search setting at its bound: valid, but far above the default ceiling of estimated calls */
    private static Map<String, Object> big() {
        Map<String, Object> spec = valid();
        set(spec, "data.pool", RunSpecs.questions("p", 200, false));
        for (var setting : Map.of("beamWidth", 16, "candidatesPerNode", 16, "minibatchSize", 200, "layersPerAgent", 100,
                "layersPerTurn", 10).entrySet()) {
            set(spec, "search." + setting.getKey(), setting.getValue());
        }
        return spec;
    }

    private static List<Map<String, Object>> agents(int n) {
        List<Map<String, Object>> agents = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            agents.add(Map.of("id", "a" + i, "prompt", "{question}"));
        }
        return agents;
    }

    // --- path and query parameters of every endpoint

    private static void parameters(List<Case> cases) {
        for (String suffix : List.of("", "/history", "/best-prompts", "/mas", "/cost", "/export")) {
            cases.add(new Case("run id with NUL " + suffix, "GET", RUNS + "/a%00b" + suffix, null, 400, "path.id"));
            cases.add(new Case("run id only NUL " + suffix, "GET", RUNS + "/%00" + suffix, null, 400, "path.id"));
            cases.add(new Case("run id with an invalid UTF-8 surrogate " + suffix, "GET", RUNS + "/%ED%A0%80" + suffix,
                    null, 0, null));
        }
        cases.add(new Case("dataset id with NUL", "GET", DATASETS + "/a%00", null, 400, "path.id"));
        cases.add(new Case("dataset questions id with NUL", "GET", DATASETS + "/%00/questions?split=pool", null, 400, "path.id"));
        cases.add(new Case("dataset split with NUL", "GET", DATASETS + "/x/questions?split=pool%00", null, 400, "query.split"));
        cases.add(new Case("dataset split unknown", "GET", DATASETS + "/x/questions?split=train", null, 0, null));
        cases.add(new Case("query NUL on the run list", "GET", RUNS + "?q=%00", null, 400, "query.q"));
        cases.add(new Case("query name NUL on the dataset list", "GET", DATASETS + "?a%00=1", null, 400, "query.(name)"));
        cases.add(new Case("cancel a run id with NUL", "POST", RUNS + "/a%00b/cancel", null, 400, "path.id"));
        cases.add(new Case("cancel a run id with a lone surrogate", "POST", RUNS + "/%ED%A0%80/cancel", null, 0, null));
        cases.add(new Case("cancel an unknown run", "POST", RUNS + "/" + "x".repeat(2000) + "/cancel", "{}", 404, null));
        cases.add(new Case("GET on cancel", "GET", RUNS + "/x/cancel", null, 0, null));
        runListParameters(cases);
        cases.add(new Case("run id of 2000 characters", "GET", RUNS + "/" + "x".repeat(2000), null, 404, null));
        cases.add(new Case("POST to a run id", "POST", RUNS + "/%00", "{}", 0, null));
        cases.add(new Case("DELETE the runs", "DELETE", RUNS, null, 0, null));
    }

    /** Paging, sorting and filters of the run list: a value out of range or unknown is refused, never a 5xx. */
    private static void runListParameters(List<Case> cases) {
        for (String page : List.of("-1", "1000001", "2147483648", "99999999999999999999999", "1e3", "0x10", "%20",
                "NaN", "1,2")) {
            cases.add(new Case("run list page " + page, "GET", RUNS + "?page=" + page, null, 400, "query.page"));
        }
        for (String size : List.of("0", "-5", "101", "2147483647", "1.0", "abc")) {
            cases.add(new Case("run list size " + size, "GET", RUNS + "?size=" + size, null, 400, "query.size"));
        }
        for (String sort : List.of("owner", "id", "created_at", "name%3Bdrop%20table%20run", "(select%201)", "%27")) {
            cases.add(new Case("run list sort " + sort, "GET", RUNS + "?sort=" + sort, null, 400, "query.sort"));
        }
        cases.add(new Case("run list direction up", "GET", RUNS + "?direction=up", null, 400, "query.direction"));
        cases.add(new Case("run list direction NUL", "GET", RUNS + "?direction=%00", null, 400, "query.direction"));
        cases.add(new Case("run list status unknown", "GET", RUNS + "?status=DONE", null, 400, "query.status"));
        cases.add(new Case("run list status lone surrogate", "GET", RUNS + "?status=%ED%A0%80", null, 0, null));
        cases.add(new Case("run list strategy unknown", "GET", RUNS + "?strategy=maspo,gepa", null, 400, "query.strategy"));
        cases.add(new Case("run list name too long", "GET", RUNS + "?name=" + "n".repeat(201), null, 400, "query.name"));
        cases.add(new Case("run list name NUL", "GET", RUNS + "?name=a%00", null, 400, "query.name"));
        cases.add(new Case("run list page twice", "GET", RUNS + "?page=0&page=1", null, 400, "query.page"));
        cases.add(new Case("run list unknown parameter", "GET", RUNS + "?offset=10", null, 400, "query.offset"));
        // Accepted: LIKE wildcards, quotes and SQL in a name are matched as plain text.
        for (String name : List.of("%25", "_", "%5C", "%27%20or%201=1--", "%22%3Bdrop%20table%20run%3B--")) {
            cases.add(new Case("run list name " + name, "GET", RUNS + "?name=" + name, null, 200, null));
        }
        cases.add(new Case("run list largest page", "GET", RUNS + "?page=1000000&size=100", null, 200, null));
    }

    // --- dataset import

    private static final String ROWS = rows(30);

    private static String rows(int n) {
        StringBuilder jsonl = new StringBuilder();
        for (int i = 0; i < n; i++) {
            jsonl.append("{\"id\":\"d").append(i).append("\",\"question\":\"What is ").append(i)
                    .append(" + 2?\",\"answer\":\"").append(i + 2).append("\"}\n");
        }
        return jsonl.toString();
    }

    private static Map<String, Object> dataset() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "arith");
        body.put("format", "simulator");
        body.put("content", ROWS);
        body.put("split", new LinkedHashMap<>(Map.of("poolSize", 20, "testSize", 10, "seed", 3)));
        return body;
    }

    private static void datasets(List<Case> cases) {
        importRefused(cases, "empty content", body -> body.put("content", ""), "content");
        importRefused(cases, "blank content", body -> body.put("content", " \n\n "), "content");
        importRefused(cases, "content with NUL", body -> body.put("content", ROWS + NUL), "content");
        importRefused(cases, "content with a lone surrogate", body -> body.put("content", "\ud800" + ROWS), "content");
        importRefused(cases, "a NUL escape inside a record", body -> body.put("content",
                ROWS + "{\"id\":\"n\",\"question\":\"a\\u0000b\",\"answer\":\"1\"}\n"), "question");
        importRefused(cases, "a lone surrogate escape inside a record", body -> body.put("content",
                ROWS + "{\"id\":\"n\",\"question\":\"ab\",\"answer\":\"\\udc00\"}\n"), "answer");
        importRefused(cases, "a NUL in a nested value", body -> body.put("content",
                ROWS + "{\"id\":\"n\",\"question\":\"ab\",\"answer\":\"1\",\"meta\":{\"x\":[\"\\u0000\"]}}\n"), "meta");
        importRefused(cases, "a record text over the bound", body -> body.put("content",
                ROWS + "{\"id\":\"n\",\"question\":\"" + "x".repeat(Limits.QUESTION_TEXT + 1) + "\",\"answer\":\"1\"}\n"), "text");
        importRefused(cases, "too many records", body -> body.put("content", "{}\n".repeat(Limits.DATASET_ROWS + 1)), "content");
        importRefused(cases, "name with NUL", body -> body.put("name", "a" + NUL), "name");
        importRefused(cases, "name overlong", body -> body.put("name", "x".repeat(Limits.NAME + 1)), "name");
        importRefused(cases, "name as a number", body -> body.put("name", 3), "name");
        importRefused(cases, "format by number", body -> body.put("format", 1), "format");
        importRefused(cases, "format with NUL", body -> body.put("format", "simulator" + NUL), "format");
        importRefused(cases, "format unknown", body -> body.put("format", "parquet"), "format");
        importRefused(cases, "path with NUL", body -> {
            body.remove("content");
            body.put("path", "/tmp/a" + NUL);
        }, "path");
        for (String field : List.of("poolSize", "testSize")) {
            importRefused(cases, field + " 0", body -> split(body).put(field, 0), "split." + field);
            importRefused(cases, field + " negative", body -> split(body).put(field, -5), "split." + field);
            importRefused(cases, field + " above 10,000", body -> split(body).put(field, 10_001), "split." + field);
            importRefused(cases, field + " 1.5", body -> split(body).put(field, 1.5), "split." + field);
            importRefused(cases, field + " as a string", body -> split(body).put(field, "5"), "split." + field);
            importRefused(cases, field + " as a boolean", body -> split(body).put(field, true), "split." + field);
        }
        importRefused(cases, "seed 1.5", body -> split(body).put("seed", 1.5), "split.seed");
        importRefused(cases, "split pool as a string", body -> split(body).put("pool", "file"), "split.pool");
        importRefused(cases, "split test content with NUL", body -> {
            split(body).put("pool", Map.of("content", ROWS));
            split(body).put("test", Map.of("content", NUL));
            body.remove("content");
        }, "split.test.content");
        importRefused(cases, "field mapping with NUL", body -> {
            body.put("format", "generic");
            body.put("fields", Map.of("text", "question" + NUL));
        }, "fields.text");
        importRefused(cases, "unknown field", body -> body.put("colour", "red"), "colour");
        cases.add(new Case("dataset trailing garbage", "POST", DATASETS, json(dataset()) + "}", 400, ""));
        cases.add(new Case("dataset array body", "POST", DATASETS, "[]", 400, ""));
        cases.add(new Case("dataset empty body", "POST", DATASETS, "", 400, null));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> split(Map<String, Object> body) {
        return (Map<String, Object>) body.get("split");
    }

    private static void importRefused(List<Case> cases, String name, java.util.function.Consumer<Map<String, Object>> breakIt,
                                      String field) {
        Map<String, Object> body = dataset();
        breakIt.accept(body);
        cases.add(new Case("dataset: " + name, "POST", DATASETS, json(body), 400, field));
    }

    // --- building specs

    private static Map<String, Object> valid() {
        Map<String, Object> spec = RunSpecs.reflect(20, 5, 10);
        set(spec, "search.weights", new LinkedHashMap<>(Map.of("local", 4, "lookahead", 4, "global", 2)));
        return spec;
    }

    private static void refused(List<Case> cases, String name, java.util.function.Consumer<Map<String, Object>> breakIt,
                                String field) {
        Map<String, Object> spec = valid();
        breakIt.accept(spec);
        cases.add(new Case(name, "POST", RUNS, json(spec), 400, field));
    }

    private static final Object ABSENT = new Object();

    /** sets a value at a path like {@code data.pool[3].text} ({@link #ABSENT} removes it), copying the objects on the way */
    @SuppressWarnings("unchecked")
    private static void set(Map<String, Object> spec, String path, Object value) {
        String[] parts = path.split("\\.");
        Map<String, Object> node = spec;
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            boolean last = i == parts.length - 1;
            if (part.endsWith("]")) {
                int index = Integer.parseInt(part.substring(part.indexOf('[') + 1, part.length() - 1));
                List<Object> list = new ArrayList<>((List<Object>) node.get(part.substring(0, part.indexOf('['))));
                node.put(part.substring(0, part.indexOf('[')), list);
                if (last) {
                    list.set(index, value);
                    return;
                }
                Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) list.get(index));
                list.set(index, copy);
                node = copy;
            } else if (last) {
                if (value == ABSENT) {
                    node.remove(part);
                } else {
                    node.put(part, value);
                }
            } else {
                Object child = node.get(part);
                Map<String, Object> copy = child instanceof Map<?, ?> m ? new LinkedHashMap<>((Map<String, Object>) m)
                        : new LinkedHashMap<>();
                node.put(part, copy);
                node = copy;
            }
        }
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
