package ai.maspo.simulator.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.maspo.simulator.LlmSimulator;
import ai.maspo.simulator.SimulatorOptions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Faults at the configured rates over 1,280 requests, hangs beyond a client's timeout, and latency. */
class FaultInjectionTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String BODY = HttpApiTest.chatBody("sim-default", "sys", "Question: #q0001 Compute.", 1L);
    // Well beyond any normal answer even on a loaded 2-core machine, where a queue of 32 clients can wait ~1 s.
    private static final long HANG_MILLIS = 4_000;

    enum Outcome { OK, RATE_LIMITED_WITH_RETRY_AFTER, SERVER_ERROR, HUNG, MALFORMED, OTHER }

    @Test
    void faultsComeAtTheirRatesAndAreCounted() throws Exception {
        SimulatorOptions options = new SimulatorOptions(0, null, 0, 0, 0.15, 0.10, 0.03, 0.10, HANG_MILLIS, null);
        int clients = 32;
        int perClient = 40;
        List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
        try (LlmSimulator simulator = LlmSimulator.start(options);
             ExecutorService pool = Executors.newFixedThreadPool(clients)) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(simulator.baseUrl() + "/chat/completions"))
                    .POST(HttpRequest.BodyPublishers.ofString(BODY)).build();
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                running.add(pool.submit(() -> {
                    for (int i = 0; i < perClient; i++) {
                        long start = System.nanoTime();
                        HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
                        outcomes.add(classify(response, (System.nanoTime() - start) / 1_000_000));
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
            JsonNode faults = JSON.readTree(CLIENT.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + simulator.port() + "/sim/stats")).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).path("faults");
            assertThat(faults.path("rate_limited").asLong()).isEqualTo(count(outcomes, Outcome.RATE_LIMITED_WITH_RETRY_AFTER));
            assertThat(faults.path("server_error").asLong()).isEqualTo(count(outcomes, Outcome.SERVER_ERROR));
            assertThat(faults.path("hang").asLong()).isEqualTo(count(outcomes, Outcome.HUNG));
            assertThat(faults.path("malformed").asLong()).isEqualTo(count(outcomes, Outcome.MALFORMED));
        }
        assertThat(outcomes).hasSize(clients * perClient).doesNotContain(Outcome.OTHER);
        assertRate(outcomes, Outcome.RATE_LIMITED_WITH_RETRY_AFTER, options.rate429());
        assertRate(outcomes, Outcome.SERVER_ERROR, options.rate500());
        assertRate(outcomes, Outcome.HUNG, options.rateHang());
        assertRate(outcomes, Outcome.MALFORMED, options.rateMalformed());
    }

    @Test
    void aHangOutlastsTheClientTimeout() {
        SimulatorOptions options = new SimulatorOptions(0, null, 0, 0, 0, 0, 1.0, 0, 60_000, null);
        try (LlmSimulator simulator = LlmSimulator.start(options)) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(simulator.baseUrl() + "/chat/completions"))
                    .timeout(Duration.ofMillis(300)).POST(HttpRequest.BodyPublishers.ofString(BODY)).build();
            assertThatThrownBy(() -> CLIENT.send(request, HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(HttpTimeoutException.class);
        }
    }

    @Test
    void latencyIsFixedPlusPerOutputToken() throws Exception {
        SimulatorOptions options = new SimulatorOptions(0, null, 150, 2, 0, 0, 0, 0, 0, null);
        try (LlmSimulator simulator = LlmSimulator.start(options)) {
            long start = System.nanoTime();
            HttpResponse<String> response = HttpApiTest.post(simulator.baseUrl() + "/chat/completions", BODY);
            long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
            int completionTokens = JSON.readTree(response.body()).at("/usage/completion_tokens").asInt();
            assertThat(elapsedMillis).isGreaterThanOrEqualTo(150 + 2L * completionTokens);
        }
    }

    /** A hang is answered normally after HANG_MILLIS; no normal answer takes that long. */
    private static Outcome classify(HttpResponse<String> response, long elapsedMillis) {
        return switch (response.statusCode()) {
            case 429 -> response.headers().firstValue("Retry-After").isPresent() ? Outcome.RATE_LIMITED_WITH_RETRY_AFTER : Outcome.OTHER;
            case 500 -> Outcome.SERVER_ERROR;
            case 200 -> {
                try {
                    boolean answered = JSON.readTree(response.body()).at("/choices/0/message/content").isTextual();
                    yield !answered ? Outcome.OTHER : elapsedMillis >= HANG_MILLIS ? Outcome.HUNG : Outcome.OK;
                } catch (IOException e) {
                    yield Outcome.MALFORMED;
                }
            }
            default -> Outcome.OTHER;
        };
    }

    private static long count(List<Outcome> outcomes, Outcome outcome) {
        return outcomes.stream().filter(outcome::equals).count();
    }

    private static void assertRate(List<Outcome> outcomes, Outcome outcome, double rate) {
        double observed = count(outcomes, outcome) / (double) outcomes.size();
        assertThat(observed).as(outcome.name())
                .isCloseTo(rate, within(4 * Math.sqrt(rate * (1 - rate) / outcomes.size())));
    }
}
