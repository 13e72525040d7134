package ai.maspo.simulator.server;

import static org.assertj.core.api.Assertions.assertThat;

import ai.maspo.simulator.LlmSimulator;
import ai.maspo.simulator.SimulatorOptions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** {@code /sim/stats} reports how many chat requests a client had open at once: how benchmarks check a cap. */
class ConcurrencyStatsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void peakIsTheMostRequestsOpenAtOnceAndOpenFallsBackToZero() throws Exception {
        SimulatorOptions slow = new SimulatorOptions(0, null, 400, 0, 0, 0, 0, 0, 120_000, null);
        try (LlmSimulator simulator = LlmSimulator.start(slow)) {
            String base = "http://127.0.0.1:" + simulator.port();
            HttpClient client = HttpClient.newHttpClient();
            List<CompletableFuture<HttpResponse<String>>> calls = IntStream.range(0, 5)
                    .mapToObj(i -> client.sendAsync(HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(HttpApiTest.chatBody("sequential-trap",
                                    "You solve problems.", "What is " + i + " + 1?", 1L)))
                            .build(), HttpResponse.BodyHandlers.ofString()))
                    .toList();
            calls.forEach(c -> assertThat(c.join().statusCode()).isEqualTo(200));

            JsonNode concurrency = stats(client, base).path("concurrency");
            assertThat(concurrency.path("peak").asLong()).as("5 requests of 400 ms sent at once").isEqualTo(5);
            assertThat(concurrency.path("open").asLong()).isZero();

            client.send(HttpRequest.newBuilder(URI.create(base + "/sim/reset")).POST(HttpRequest.BodyPublishers.noBody())
                    .build(), HttpResponse.BodyHandlers.discarding());
            assertThat(stats(client, base).path("concurrency").path("peak").asLong()).as("reset").isZero();
        }
    }

    private static JsonNode stats(HttpClient client, String base) throws Exception {
        return JSON.readTree(client.send(HttpRequest.newBuilder(URI.create(base + "/sim/stats")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }
}
