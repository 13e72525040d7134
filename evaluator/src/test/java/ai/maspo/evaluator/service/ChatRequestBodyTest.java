package ai.maspo.evaluator.service;

import ai.maspo.evaluator.prompting.ChatPrompt;
import ai.maspo.protocol.ModelRole;
import ai.maspo.protocol.ModelSettings;
import ai.maspo.protocol.ReasoningEffort;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a role's model parameters put on the wire: the bodies a real HTTP server (the JDK's) received, field by field,
 * and the provider's cached prompt tokens read back from its answer.
 */
class ChatRequestBodyTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ChatPrompt PROMPT = new ChatPrompt("Be brief.", "What is 2 + 3?");
    private static final String ANSWER = """
            {"choices": [{"message": {"role": "assistant", "content": "5"}}],
             "usage": {"prompt_tokens": 120, "completion_tokens": 3, "prompt_tokens_details": {"cached_tokens": 64}}}""";

    private final List<String> bodies = new ArrayList<>();
    private HttpServer server;
    private ChatEndpoint endpoint;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/chat/completions", exchange -> {
            synchronized (bodies) {
                bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            }
            byte[] answer = ANSWER.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        endpoint = new ChatEndpoint(HttpClient.newHttpClient(), MAPPER,
                "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/", "sk-test");
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void defaultsSendTodaysBody() throws Exception {
        ChatEndpoint.Attempt attempt = endpoint.attempt(endpoint.body(new ModelSettings("m", 0), PROMPT, 42), Duration.ofSeconds(10));

        JsonNode body = onlyBody();
        assertThat(fieldNames(body)).containsExactly("model", "temperature", "seed", "messages");
        assertThat(body.get("model").asText()).isEqualTo("m");
        assertThat(body.get("temperature").asDouble()).isEqualTo(0.0);
        assertThat(body.get("seed").asInt()).isEqualTo(42);
        assertThat(body.get("messages").get(0).get("content").asText()).isEqualTo("Be brief.");
        assertThat(body.get("messages").get(1).get("content").asText()).isEqualTo("What is 2 + 3?");
        assertThat(attempt).isEqualTo(new ChatEndpoint.Attempt.Answered("5", null, 120, 3, 64));
    }

    @Test
    void everyParameterGoesOnTheWireUnderItsOpenAiName() throws Exception {
        Map<String, JsonNode> extra = new LinkedHashMap<>();
        extra.put("max_completion_tokens", MAPPER.readTree("4000"));
        extra.put("response_format", MAPPER.readTree("{\"type\": \"json_object\"}"));
        ModelSettings settings = new ModelSettings("o3-mini", 1, 256, 0.9, List.of("\n\nQ:", "END"), true,
                ReasoningEffort.MEDIUM, extra);

        endpoint.attempt(endpoint.body(settings, PROMPT, 42), Duration.ofSeconds(10));

        JsonNode body = onlyBody();
        assertThat(fieldNames(body)).containsExactly("model", "temperature", "max_tokens", "top_p", "stop",
                "reasoning_effort", "messages", "max_completion_tokens", "response_format");
        assertThat(body.has("seed")).as("seed switched off").isFalse();
        assertThat(body.get("max_tokens").asInt()).isEqualTo(256);
        assertThat(body.get("top_p").asDouble()).isEqualTo(0.9);
        assertThat(body.get("stop")).isEqualTo(MAPPER.readTree("[\"\\n\\nQ:\", \"END\"]"));
        assertThat(body.get("reasoning_effort").asText()).isEqualTo("medium");
        assertThat(body.get("max_completion_tokens").asInt()).isEqualTo(4000);
        assertThat(body.get("response_format")).isEqualTo(MAPPER.readTree("{\"type\": \"json_object\"}"));
    }

    @Test
    void extraFieldsNeverReplaceWhatThePlatformSets() throws Exception {
        // The orchestrator refuses such a spec; a message that slipped past it still cannot change these.
        Map<String, JsonNode> extra = new LinkedHashMap<>();
        for (String field : ModelSettings.PLATFORM_FIELDS) {
            extra.put(field, MAPPER.readTree("\"hijacked\""));
        }
        extra.put("user", MAPPER.readTree("\"run-7\""));
        ModelSettings settings = new ModelSettings("m", 0.5, null, null, null, false, null, extra);

        endpoint.attempt(endpoint.body(settings, PROMPT, 7), Duration.ofSeconds(10));

        JsonNode body = onlyBody();
        assertThat(fieldNames(body)).containsExactly("model", "temperature", "seed", "messages", "user");
        assertThat(body.toString()).doesNotContain("hijacked");
        assertThat(body.get("user").asText()).isEqualTo("run-7");
    }

    @Test
    void theAnswerCacheTellsEveryParameterApart() throws Exception {
        ModelSettings plain = new ModelSettings("m", 0);
        List<ModelSettings> variants = List.of(plain,
                new ModelSettings("m", 0, 64, null, null, false, null, null),
                new ModelSettings("m", 0, null, 0.5, null, false, null, null),
                new ModelSettings("m", 0, null, null, List.of("END"), false, null, null),
                new ModelSettings("m", 0, null, null, null, true, null, null),
                new ModelSettings("m", 0, null, null, null, false, ReasoningEffort.HIGH, null),
                new ModelSettings("m", 0, null, null, null, false, null, Map.of("user", MAPPER.readTree("\"a\""))),
                new ModelSettings("m", 0, null, null, null, false, null, Map.of("user", MAPPER.readTree("\"b\""))));
        assertThat(variants.stream().map(v -> key(v)).distinct()).hasSize(variants.size());
        assertThat(key(new ModelSettings("m", 0, null, null, null, false, null, null)))
                .as("absent parameters are the plain settings").isEqualTo(key(plain));
    }

    /** The answer cache's key of a request with these settings, as the gateway makes it from the request's body. */
    private String key(ModelSettings settings) {
        return LlmGateway.cacheKey(new LlmRequest(ModelRole.AGENT, "http://endpoint/v1/", settings.model(),
                endpoint.body(settings, PROMPT, 42), true, 1));
    }

    private JsonNode onlyBody() throws Exception {
        synchronized (bodies) {
            assertThat(bodies).hasSize(1);
            return MAPPER.readTree(bodies.getFirst());
        }
    }

    private static List<String> fieldNames(JsonNode body) {
        List<String> names = new ArrayList<>();
        body.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
