package ai.maspo.simulator.server;

import static org.assertj.core.api.Assertions.assertThat;

import ai.maspo.simulator.LlmSimulator;
import ai.maspo.simulator.SimulatorOptions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The wire: OpenAI-shaped responses, usage, models, datasets, stats. */
class HttpApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static LlmSimulator simulator;

    @BeforeAll
    static void start() {
        simulator = LlmSimulator.start(SimulatorOptions.defaults());
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    static HttpResponse<String> post(String url, String body) throws IOException, InterruptedException {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + simulator.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static String chatBody(String model, String system, String user, Long seed) {
        var body = JSON.createObjectNode().put("model", model).put("temperature", 0);
        if (seed != null) {
            body.put("seed", seed);
        }
        var messages = body.putArray("messages");
        messages.addObject().put("role", "system").put("content", system);
        messages.addObject().put("role", "user").put("content", user);
        return body.toString();
    }

    @Test
    void chatCompletionHasTheOpenAiShapeAndUsageOfAboutOneTokenPerFourCharacters() throws Exception {
        post("http://127.0.0.1:" + simulator.port() + "/sim/reset", "");
        long promptChars = 0;
        long completionChars = 0;
        long promptTokens = 0;
        long completionTokens = 0;
        for (int i = 0; i < 50; i++) {
            String system = "You are the predictor.";
            String user = "Question: #q%04d Compute the value.".formatted(i);
            HttpResponse<String> response = post(simulator.baseUrl() + "/chat/completions", chatBody("sequential-trap", system, user, (long) i));
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
            JsonNode body = JSON.readTree(response.body());
            assertThat(body.path("id").asText()).startsWith("chatcmpl-");
            assertThat(body.path("object").asText()).isEqualTo("chat.completion");
            assertThat(body.path("created").asLong()).isPositive();
            assertThat(body.path("model").asText()).isEqualTo("sequential-trap");
            JsonNode choice = body.path("choices").get(0);
            assertThat(choice.path("message").path("role").asText()).isEqualTo("assistant");
            assertThat(choice.path("finish_reason").asText()).isEqualTo("stop");
            String content = choice.path("message").path("content").asText();
            assertThat(content).matches("(?s)Step 1: .*The answer is -?\\d+\\.");
            JsonNode usage = body.path("usage");
            assertThat(usage.path("total_tokens").asInt())
                    .isEqualTo(usage.path("prompt_tokens").asInt() + usage.path("completion_tokens").asInt());
            promptChars += system.length() + user.length();
            completionChars += content.length();
            promptTokens += usage.path("prompt_tokens").asInt();
            completionTokens += usage.path("completion_tokens").asInt();
        }
        assertThat((double) completionTokens / completionChars).isBetween(0.24, 0.27);
        assertThat((double) promptTokens / promptChars).isBetween(0.24, 0.30);

        JsonNode stats = JSON.readTree(get("/sim/stats").body());
        assertThat(stats.path("calls").path("agent").asInt()).isEqualTo(50);
        assertThat(stats.path("scenarios").path("sequential-trap").asInt()).isEqualTo(50);
        assertThat(stats.path("tokens").path("completion").asLong()).isEqualTo(completionTokens);
        assertThat(stats.path("tokens").path("prompt").asLong()).isEqualTo(promptTokens);
        assertThat(post("http://127.0.0.1:" + simulator.port() + "/sim/reset", "").statusCode()).isEqualTo(204);
        assertThat(JSON.readTree(get("/sim/stats").body()).path("calls").size()).isZero();
    }

    @Test
    void sameRequestGivesTheSameContentOverHttp() throws Exception {
        String body = chatBody("debate-trap", "sys", "Question: #q0007 Compute.", 42L);
        String first = JSON.readTree(post(simulator.baseUrl() + "/chat/completions", body).body()).at("/choices/0/message/content").asText();
        String second = JSON.readTree(post(simulator.baseUrl() + "/chat/completions", body).body()).at("/choices/0/message/content").asText();
        assertThat(second).isEqualTo(first);
    }

    @Test
    void maxTokensTruncatesWithFinishReasonLength() throws Exception {
        String body = chatBody("sequential-trap", "sys", "Question: #q0001 Compute.", 1L).replaceFirst("\\{", "{\"max_tokens\":5,");
        JsonNode choice = JSON.readTree(post(simulator.baseUrl() + "/chat/completions", body).body()).at("/choices/0");
        assertThat(choice.path("finish_reason").asText()).isEqualTo("length");
        assertThat(choice.at("/message/content").asText()).hasSize(20);
    }

    @Test
    void streamingSendsServerSentEvents() throws Exception {
        String body = chatBody("sequential-trap", "sys", "Question: #q0001 Compute.", 1L).replaceFirst("\\{", "{\"stream\":true,");
        HttpResponse<String> response = post(simulator.baseUrl() + "/chat/completions", body);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream");
        List<String> events = response.body().lines().filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).toList();
        assertThat(events).hasSize(3).last().isEqualTo("[DONE]");
        assertThat(JSON.readTree(events.get(0)).at("/choices/0/delta/content").asText()).contains("The answer is");
        assertThat(JSON.readTree(events.get(1)).at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    }

    @Test
    void modelsListOneModelPerScenarioPlusTheDefault() throws Exception {
        JsonNode models = JSON.readTree(get("/v1/models").body());
        assertThat(models.path("object").asText()).isEqualTo("list");
        assertThat(models.path("data").findValuesAsText("id")).containsExactlyInAnyOrder(
                "sequential-trap", "hierarchical-trap", "debate-trap", "aligned-control", "chain-middle-trap",
                "llm-aggregator-trap", "sim-default");
    }

    @Test
    void datasetsAreServedAsJsonLines() throws Exception {
        HttpResponse<String> train = get("/sim/datasets/hierarchical-trap/train");
        assertThat(train.statusCode()).isEqualTo(200);
        List<String> lines = train.body().lines().toList();
        assertThat(lines).hasSize(200);
        JsonNode first = JSON.readTree(lines.get(0));
        assertThat(first.path("id").asText()).isEqualTo("q0000");
        assertThat(first.path("question").asText()).startsWith("#q0000 ").contains("A) ").contains("E) ");
        assertThat(first.path("answer").asText()).matches("[A-E]");
        assertThat(get("/sim/datasets/hierarchical-trap/test").body().lines().findFirst().orElseThrow()).contains("\"q0200\"");
        assertThat(get("/sim/datasets/nope/train").statusCode()).isEqualTo(404);
        assertThat(get("/sim/datasets/sequential-trap/dev").statusCode()).isEqualTo(404);
    }

    @Test
    void invalidRequestsGetAnOpenAiError() throws Exception {
        HttpResponse<String> response = post(simulator.baseUrl() + "/chat/completions", "{not json");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).at("/error/type").asText()).isEqualTo("invalid_request_error");
        assertThat(post(simulator.baseUrl() + "/chat/completions", "{\"messages\":[]}").statusCode()).isEqualTo(400);
    }
}
