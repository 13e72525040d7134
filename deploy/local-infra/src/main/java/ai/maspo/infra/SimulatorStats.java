package ai.maspo.infra;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The llm-simulator's own counters ({@code GET /sim/stats}, {@code POST /sim/reset}): what a provider would bill,
 * against which the benchmark, the chaos suite and the end-to-end tests check the platform's reported cost.
 */
public final class SimulatorStats {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String simulatorUrl;

    public SimulatorStats(String simulatorUrl) {
        this.simulatorUrl = simulatorUrl;
    }

    public void reset() {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(simulatorUrl + "/sim/reset"))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("POST /sim/reset answered " + response.statusCode());
        }
    }

    /** The whole statistics document (calls and faults per request class, tokens). */
    public JsonNode read() {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(simulatorUrl + "/sim/stats")).GET().build());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET /sim/stats answered " + response.statusCode() + ": " + response.body());
        }
        try {
            return RunClient.json().readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("GET /sim/stats: not JSON", e);
        }
    }

    /** Every request the simulator answered since it started or was reset, whatever its class. */
    public long calls() {
        return calls(read());
    }

    /** The most chat requests the simulator had open at once since it started or was reset: the clients' concurrency. */
    public long peakOpen() {
        return read().path("concurrency").path("peak").asLong();
    }

    /** The answered requests of a statistics document from {@link #read()}. */
    public static long calls(JsonNode stats) {
        long total = 0;
        for (JsonNode count : stats.path("calls")) {
            total += count.asLong();
        }
        return total;
    }

    /**
     * Every request the simulator received: the answered ones (a hung request is answered late, and counted there)
     * plus those it refused with a 429, a 500 or a malformed body. The platform counts each of these as a paid call.
     */
    public static long requestsReceived(JsonNode stats) {
        JsonNode faults = stats.path("faults");
        return calls(stats) + faults.path("rate_limited").asLong() + faults.path("server_error").asLong()
                + faults.path("malformed").asLong();
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
