package ai.maspo.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The client against a small in-process HTTP server standing in for the simulator and the orchestrator. */
class RunClientTest {
    private HttpServer server;
    private String baseUrl;
    private final AtomicReference<String> postedSpec = new AtomicReference<>();
    private final AtomicInteger polls = new AtomicInteger();
    private static final String KEY = "mk_0123456789abcdef_secret";

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/sim/datasets/arith/train", ex -> reply(ex, 200, jsonl("t", 5)));
        server.createContext("/sim/datasets/arith/test", ex -> reply(ex, 200, jsonl("x", 3)));
        server.createContext("/api/v1/runs", ex -> {
            if (!("Bearer " + KEY).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                reply(ex, 401, "");
            } else if (ex.getRequestMethod().equals("POST")) {
                postedSpec.set(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                reply(ex, 201, "{\"id\":\"run-7\",\"status\":\"PENDING\"}");
            } else {
                // Two polls RUNNING, then COMPLETED: the client must keep polling until a terminal status.
                String status = polls.incrementAndGet() < 3 ? "RUNNING" : "COMPLETED";
                reply(ex, 200, "{\"id\":\"run-7\",\"status\":\"" + status + "\"}");
            }
        });
        server.start();
        baseUrl = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    void simulatorDataIsFetchedTruncatedAndRenamed() throws IOException {
        ObjectNode spec = (ObjectNode) RunClient.json().readTree(
                "{\"name\":\"x\",\"data\":{\"source\":\"simulator\",\"scenario\":\"arith\",\"poolSize\":4,\"testSize\":2}}");

        JsonNode materialized = new RunClient(baseUrl, KEY).withSimulatorData(spec, baseUrl);

        assertThat(materialized.path("name").asText()).isEqualTo("x");
        assertThat(materialized.path("data").path("pool")).hasSize(4);
        assertThat(materialized.path("data").path("test")).hasSize(2);
        JsonNode first = materialized.path("data").path("pool").get(0);
        assertThat(first.path("id").asText()).isEqualTo("t0");
        assertThat(first.path("text").asText()).isEqualTo("#t0 what is 0+1?");
        assertThat(first.path("reference").asText()).isEqualTo("1");
        assertThat(materialized.path("data").path("test").get(1).path("id").asText()).isEqualTo("x1");
        assertThat(spec.path("data").path("source").asText()).as("input left unchanged").isEqualTo("simulator");
    }

    @Test
    void tooFewSimulatorItemsIsAnError() throws IOException {
        ObjectNode spec = (ObjectNode) RunClient.json().readTree(
                "{\"data\":{\"source\":\"simulator\",\"scenario\":\"arith\",\"poolSize\":9,\"testSize\":2}}");
        assertThatThrownBy(() -> new RunClient(baseUrl, KEY).withSimulatorData(spec, baseUrl))
                .hasMessageContaining("has 5 items, the spec asks for 9");
    }

    @Test
    void submitThenPollUntilTerminal() throws IOException {
        RunClient client = new RunClient(baseUrl, KEY);
        String id = client.submit(RunClient.json().readTree("{\"name\":\"demo\"}"));
        List<String> seen = new ArrayList<>();

        JsonNode run = client.awaitTerminal(id, Duration.ofSeconds(30), Duration.ofMillis(20), r -> seen.add(r.path("status").asText()));

        assertThat(id).isEqualTo("run-7");
        assertThat(postedSpec.get()).isEqualTo("{\"name\":\"demo\"}");
        assertThat(run.path("status").asText()).isEqualTo("COMPLETED");
        assertThat(seen).containsExactly("RUNNING", "COMPLETED");
        assertThat(polls.get()).isEqualTo(3);
    }

    /**
     * The orchestrator restarts mid-run: 503s, then no listener at all, then it answers again on the same port. The
     * client keeps polling through all of it, and only the terminal status ends the wait.
     */
    @Test
    void pollingOutlastsA503AndAnOrchestratorThatIsGoneForAWhile() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        server.createContext("/api/v1/runs/run-9", ex -> {
            int call = calls.incrementAndGet();
            if (call <= 2) {
                reply(ex, 503, "{\"error\":\"database unavailable\"}");
            } else {
                reply(ex, 200, "{\"id\":\"run-9\",\"status\":\"" + (call < 5 ? "RUNNING" : "COMPLETED") + "\"}");
            }
        });
        int port = server.getAddress().getPort();
        RunClient client = new RunClient(baseUrl, KEY);
        List<String> seen = new ArrayList<>();
        Thread restart = Thread.ofPlatform().start(() -> {
            // After the 503s the server goes away for a second and comes back with the same handler on the same port.
            while (calls.get() < 3) {
                LocalStack.sleep(5);
            }
            server.stop(0);
            LocalStack.sleep(1000);
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            server.createContext("/api/v1/runs/run-9", ex -> reply(ex, 200,
                    "{\"id\":\"run-9\",\"status\":\"" + (calls.incrementAndGet() < 5 ? "RUNNING" : "COMPLETED") + "\"}"));
            server.start();
        });

        JsonNode run = client.awaitTerminal("run-9", Duration.ofSeconds(60), Duration.ofMillis(20), r -> seen.add(r.path("status").asText()));
        restart.join();

        assertThat(run.path("status").asText()).isEqualTo("COMPLETED");
        assertThat(seen).containsExactly("RUNNING", "COMPLETED");
        assertThat(calls.get()).isGreaterThanOrEqualTo(5);
    }

    @Test
    void aClientErrorEndsTheWaitAtOnce() {
        server.createContext("/api/v1/runs/gone", ex -> reply(ex, 404, "{\"error\":\"no run gone\"}"));
        long started = System.nanoTime();
        assertThatThrownBy(() -> new RunClient(baseUrl, KEY).awaitTerminal("gone", Duration.ofSeconds(60), r -> { }))
                .hasMessageContaining("answered 404");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void anOutageLongerThanTheDeadlineEndsTheWait() {
        server.createContext("/api/v1/runs/stuck", ex -> reply(ex, 500, "{}"));
        assertThatThrownBy(() -> new RunClient(baseUrl, KEY).awaitTerminal("stuck", Duration.ofSeconds(2), r -> { }))
                .hasMessageContaining("answered 500").hasMessageContaining("deadline");
    }

    @Test
    void everyOrchestratorRequestCarriesTheCredential() {
        assertThatThrownBy(() -> new RunClient(baseUrl, "mk_wrong").get("run-7")).hasMessageContaining("answered 401");
        assertThat(new RunClient(baseUrl, KEY).get("run-7").path("id").asText()).isEqualTo("run-7");
    }

    private static String jsonl(String prefix, int count) {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < count; i++) {
            lines.append("{\"id\":\"").append(prefix).append(i).append("\",\"question\":\"#").append(prefix).append(i)
                    .append(" what is ").append(i).append("+1?\",\"answer\":\"").append(i + 1).append("\"}\n");
        }
        return lines.toString();
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
