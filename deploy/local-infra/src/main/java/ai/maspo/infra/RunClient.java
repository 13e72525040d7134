package ai.maspo.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A small client of the orchestrator's run API (POST /api/v1/runs, GET /api/v1/runs/{id}) and of the
 * simulator's datasets, used by the local run and the end-to-end tests. Every orchestrator request carries
 * {@code Authorization: Bearer <credential>}: an API key ({@code mk_...}) or a JWT.
 */
public final class RunClient {
    public static final Set<String> TERMINAL_STATUSES = Set.of("COMPLETED", "FAILED", "STOPPED");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How long a single GET keeps retrying through an orchestrator restart or a database outage. */
    static final Duration DEFAULT_PATIENCE = Duration.ofMinutes(5);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(250);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String orchestratorUrl;
    private final String credential;
    private final Duration patience;

    public RunClient(String orchestratorUrl, String credential) {
        this(orchestratorUrl, credential, DEFAULT_PATIENCE);
    }

    /** {@code patience}: how long a GET retries transient failures (connection refused or reset, timeouts, 5xx). */
    public RunClient(String orchestratorUrl, String credential, Duration patience) {
        this.orchestratorUrl = orchestratorUrl;
        this.credential = credential;
        this.patience = patience;
    }

    public static ObjectMapper json() {
        return JSON;
    }

    /** Submits a run spec; returns the new run's id (the orchestrator answers 201 with a JSON body holding "id"). */
    public String submit(JsonNode spec) {
        HttpResponse<String> response = send(orchestrator("/api/v1/runs")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(spec.toString())).build());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("POST /api/v1/runs answered " + response.statusCode() + ": " + response.body());
        }
        JsonNode id = parse(response.body()).get("id");
        if (id == null || id.asText().isBlank()) {
            throw new IllegalStateException("POST /api/v1/runs answered without an id: " + response.body());
        }
        return id.asText();
    }

    public JsonNode get(String runId) {
        return getJson("/api/v1/runs/" + runId, System.nanoTime() + patience.toNanos());
    }

    /** The run's search history: per agent and layer the beams, scored candidates, rejections, refreshes. */
    public JsonNode history(String runId) {
        return getJson("/api/v1/runs/" + runId + "/history", System.nanoTime() + patience.toNanos());
    }

    /**
     * A history without what was observed when each step was stored ({@code recordedAt}, {@code paidCallsSoFar}):
     * the search alone, which a run of the same spec and seed repeats exactly.
     */
    public static JsonNode searchOnly(JsonNode history) {
        ArrayNode steps = JSON.createArrayNode();
        for (JsonNode step : history) {
            steps.add(((ObjectNode) step).deepCopy().remove(List.of("recordedAt", "paidCallsSoFar")));
        }
        return steps;
    }

    /**
     * GETs {@code path}, retrying with backoff while the failure is transient (no connection, a timeout, 5xx: a
     * restarting orchestrator or a database outage) until {@code deadlineNanos}; any other answer than 200 fails now.
     */
    private JsonNode getJson(String path, long deadlineNanos) {
        HttpRequest request = orchestrator(path).timeout(Duration.ofSeconds(30)).GET().build();
        Duration backoff = FIRST_BACKOFF;
        while (true) {
            String failure;
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return parse(response.body());
                }
                failure = "GET " + path + " answered " + response.statusCode() + ": " + response.body();
                if (response.statusCode() < 500) {
                    throw new IllegalStateException(failure);
                }
            } catch (IOException e) {
                failure = "GET " + path + " failed: " + e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            if (System.nanoTime() + backoff.toNanos() > deadlineNanos) {
                throw new IllegalStateException(failure + " (still failing at the deadline)");
            }
            LocalStack.sleep(backoff.toMillis());
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
    }

    /**
     * Polls the run every second until its status is terminal; {@code onChange} sees each new state. Restarts and
     * outages (no connection, 5xx) are waited out: only a terminal status or {@code timeout} ends the wait, which
     * throws when {@code timeout} passes first.
     */
    public JsonNode awaitTerminal(String runId, Duration timeout, Consumer<JsonNode> onChange) {
        return awaitTerminal(runId, timeout, Duration.ofSeconds(1), onChange);
    }

    /** As {@link #awaitTerminal(String, Duration, Consumer)}, polling every {@code pollInterval}. */
    public JsonNode awaitTerminal(String runId, Duration timeout, Duration pollInterval, Consumer<JsonNode> onChange) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode last = null;
        while (true) {
            JsonNode run = getJson("/api/v1/runs/" + runId, deadline);
            if (!run.equals(last)) {
                onChange.accept(run);
                last = run;
            }
            if (TERMINAL_STATUSES.contains(run.path("status").asText())) {
                return run;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("run " + runId + " not finished after " + timeout.toSeconds()
                        + " s; last state: " + run);
            }
            LocalStack.sleep(pollInterval.toMillis());
        }
    }

    /**
     * Replaces {@code "data": {"source": "simulator", "scenario": S, "poolSize": P, "testSize": T}} with
     * the first P train and T test items of the simulator's scenario S, as
     * {@code {"pool": [{"id","text","reference"}...], "test": [...]}}. Other specs are returned unchanged.
     */
    public ObjectNode withSimulatorData(ObjectNode spec, String simulatorUrl) {
        JsonNode data = spec.path("data");
        if (!"simulator".equals(data.path("source").asText())) {
            return spec;
        }
        String scenario = data.path("scenario").asText();
        ObjectNode copy = spec.deepCopy();
        ObjectNode items = JSON.createObjectNode();
        items.set("pool", dataset(simulatorUrl, scenario, "train", data.path("poolSize").asInt()));
        items.set("test", dataset(simulatorUrl, scenario, "test", data.path("testSize").asInt()));
        copy.set("data", items);
        return copy;
    }

    private ArrayNode dataset(String simulatorUrl, String scenario, String split, int size) {
        String path = "/sim/datasets/" + scenario + "/" + split;
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(simulatorUrl + path)).GET().build());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        ArrayNode items = JSON.createArrayNode();
        for (String line : response.body().lines().filter(l -> !l.isBlank()).limit(size).toList()) {
            JsonNode item = parse(line);
            items.addObject()
                    .put("id", item.path("id").asText())
                    .put("text", item.path("question").asText())
                    .put("reference", item.path("answer").asText());
        }
        if (items.size() < size) {
            throw new IllegalStateException(path + " has " + items.size() + " items, the spec asks for " + size);
        }
        return items;
    }

    private HttpRequest.Builder orchestrator(String path) {
        return HttpRequest.newBuilder(URI.create(orchestratorUrl + path)).header("Authorization", "Bearer " + credential);
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + body, e);
        }
    }
}
