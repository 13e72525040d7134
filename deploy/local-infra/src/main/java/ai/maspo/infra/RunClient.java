package ai.maspo.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A small client of the orchestrator's run API (submit, get, list, history, export, cancel, the event stream) and of
 * the simulator's datasets, used by the local run, the CLI and the end-to-end tests. Every orchestrator request carries
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

    /** The orchestrator answered with an HTTP status other than the one expected (and not worth retrying). */
    public static final class ApiException extends IllegalStateException {
        private final int status;
        private final String body;

        ApiException(String request, int status, String body) {
            super(request + " answered " + status + ": " + body);
            this.status = status;
            this.body = body;
        }

        public int status() {
            return status;
        }

        public String body() {
            return body;
        }
    }

    /** Submits a run spec; returns the new run's id (the orchestrator answers 201 with a JSON body holding "id"). */
    public String submit(JsonNode spec) {
        HttpResponse<String> response = send(orchestrator("/api/v1/runs")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(spec.toString())).build());
        if (response.statusCode() != 201) {
            throw new ApiException("POST /api/v1/runs", response.statusCode(), response.body());
        }
        JsonNode id = parse(response.body()).get("id");
        if (id == null || id.asText().isBlank()) {
            throw new IllegalStateException("POST /api/v1/runs answered without an id: " + response.body());
        }
        return id.asText();
    }

    public JsonNode get(String runId) {
        return getJson("/api/v1/runs/" + encode(runId), System.nanoTime() + patience.toNanos());
    }

    /** The run's search history: per agent and layer the beams, scored candidates, rejections, refreshes. */
    public JsonNode history(String runId) {
        return getJson("/api/v1/runs/" + encode(runId) + "/history", System.nanoTime() + patience.toNanos());
    }

    /** The multi-agent system as the run executes it: agents, edges, levels, terminal agent (topologies spelled out). */
    public JsonNode mas(String runId) {
        return getJson("/api/v1/runs/" + encode(runId) + "/mas", System.nanoTime() + patience.toNanos());
    }

    /** The caller's runs (an admin's: all), with {@code query} as given (e.g. page, size, status), as answered. */
    public JsonNode list(Map<String, String> query) {
        StringBuilder path = new StringBuilder("/api/v1/runs");
        String separator = "?";
        for (Map.Entry<String, String> parameter : query.entrySet()) {
            path.append(separator).append(encode(parameter.getKey())).append('=').append(encode(parameter.getValue()));
            separator = "&";
        }
        return getJson(path.toString(), System.nanoTime() + patience.toNanos());
    }

    /** The optimized prompts as the export document (run id, name, strategy, status, prompts, accuracies). */
    public JsonNode export(String runId) {
        return getJson("/api/v1/runs/" + encode(runId) + "/export", System.nanoTime() + patience.toNanos());
    }

    /**
     * Asks the orchestrator to stop the run (POST /api/v1/runs/{id}/cancel): it ends STOPPED with the best prompts so
     * far. Returns the answer's body (the run), or an empty object when the answer has none.
     */
    public JsonNode cancel(String runId) {
        String path = "/api/v1/runs/" + encode(runId) + "/cancel";
        HttpResponse<String> response = send(orchestrator(path).POST(HttpRequest.BodyPublishers.noBody()).build());
        if (response.statusCode() / 100 != 2) {
            throw new ApiException("POST " + path, response.statusCode(), response.body());
        }
        return response.body().isBlank() ? JSON.createObjectNode() : parse(response.body());
    }

    /** One server-sent event: its id (null when the server gave none), type ("message" by default) and data. */
    public record ServerSentEvent(String id, String type, String data) {
    }

    /**
     * Reads the run's event stream (GET /api/v1/runs/{id}/events, text/event-stream) from after {@code lastEventId}
     * (null: from the start), handing each event to {@code handler} until it returns false or the server ends the
     * stream. Returns the id of the last event seen (to resume from), or {@code lastEventId} when none came.
     */
    public String events(String runId, String lastEventId, Predicate<ServerSentEvent> handler) {
        String path = "/api/v1/runs/" + encode(runId) + "/events";
        HttpRequest.Builder request = orchestrator(path).header("Accept", "text/event-stream").GET();
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<java.io.InputStream> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            if (response.statusCode() != 200) {
                throw new ApiException("GET " + path, response.statusCode(), lines.lines().reduce("", String::concat));
            }
            return readEvents(lines, lastEventId, handler);
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + path + " broke off", e);
        }
    }

    /** The text/event-stream format: fields up to a blank line make one event; data lines join with newlines. */
    static String readEvents(BufferedReader lines, String lastEventId, Predicate<ServerSentEvent> handler) throws IOException {
        String lastId = lastEventId;
        String id = null;
        String type = null;
        StringBuilder data = null;
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            if (line.isEmpty()) {
                if (data != null) {
                    if (id != null) {
                        lastId = id;
                    }
                    if (!handler.test(new ServerSentEvent(id, type == null ? "message" : type, data.toString()))) {
                        return lastId;
                    }
                }
                id = null;
                type = null;
                data = null;
                continue;
            }
            if (line.startsWith(":")) {
                continue; // a comment: the server's keep-alive
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1).replaceFirst("^ ", "");
            switch (field) {
                case "id" -> id = value;
                case "event" -> type = value;
                case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                default -> { } // retry and unknown fields: nothing to do for a reader that reconnects itself
            }
        }
        return lastId;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /**
     * Writes the run's final state and its search history as {@code dir/<name>.json} and {@code dir/<name>-history.json},
     * so they outlive a one-shot stack whose database is deleted at close; returns the first file.
     */
    public Path keep(String runId, JsonNode run, Path dir, String name) {
        try {
            Files.createDirectories(dir);
            Path runFile = dir.resolve(name + ".json");
            Files.writeString(runFile, run.toPrettyString());
            Files.writeString(dir.resolve(name + "-history.json"), history(runId).toPrettyString());
            return runFile;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write run " + runId + " to " + dir, e);
        }
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
                if (response.statusCode() < 500) {
                    throw new ApiException("GET " + path, response.statusCode(), response.body());
                }
                failure = "GET " + path + " answered " + response.statusCode() + ": " + response.body();
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
