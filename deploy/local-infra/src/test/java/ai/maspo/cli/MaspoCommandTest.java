package ai.maspo.cli;

import ai.maspo.infra.PlatformState;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CLI's commands and exit codes against an in-process stand-in for the orchestrator that speaks the documented
 * API, including the endpoints not on this branch yet: the paged run list, POST /api/v1/runs/{id}/cancel and the
 * server-sent events of GET /api/v1/runs/{id}/events with Last-Event-ID.
 */
class MaspoCommandTest {
    private static final String KEY = "mk_0123456789abcdef_secret";
    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

    @TempDir
    Path tmp;

    private HttpServer server;
    private String url;
    private final AtomicInteger watchPolls = new AtomicInteger();
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> lastEventIds = new CopyOnWriteArrayList<>();

    record Result(int code, String out, String err) {
    }

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/runs", this::orchestrator);
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private void orchestrator(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String method = ex.getRequestMethod();
        requests.add(method + " " + ex.getRequestURI());
        if (!("Bearer " + KEY).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
            reply(ex, 401, "");
            return;
        }
        switch (method + " " + path) {
            case "GET /api/v1/runs" -> { // the orchestrator's page envelope; it filters by status itself
                String query = ex.getRequestURI().getQuery() == null ? "" : ex.getRequestURI().getQuery();
                boolean running = query.contains("status=RUNNING");
                String items = running ? run("run-2", "RUNNING", "SEARCHING")
                        : run("run-1", "COMPLETED", "DONE") + "," + run("run-2", "RUNNING", "SEARCHING");
                int total = running ? 1 : 2;
                reply(ex, 200, "{\"items\":[" + items + "],\"page\":0,\"size\":20,\"totalItems\":" + total
                        + ",\"totalPages\":1}");
            }
            case "POST /api/v1/runs" -> {
                String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                if (body.contains("\"bad\"")) {
                    reply(ex, 400, "{\"error\":\"invalid request\",\"violations\":[{\"field\":\"search.beamWidth\",\"message\":\"must be at least 1\"}]}");
                } else {
                    reply(ex, 201, run("run-9", "PENDING", "SEARCHING"));
                }
            }
            case "GET /api/v1/runs/run-9" -> {
                int poll = watchPolls.incrementAndGet();
                reply(ex, 200, poll < 5 ? run("run-9", "RUNNING", "SEARCHING", 0, 0, 100L * poll)
                        : poll == 5 ? run("run-9", "RUNNING", "TESTING", 3, 8, 600)
                        : run("run-9", "COMPLETED", "DONE", 8, 8, 640));
            }
            case "GET /api/v1/runs/run-9/history" -> reply(ex, 200, history(Math.min(4, watchPolls.get())));
            case "GET /api/v1/runs/run-1" -> reply(ex, 200, run("run-1", "COMPLETED", "DONE"));
            case "GET /api/v1/runs/run-1/history" -> reply(ex, 200, history(2));
            case "GET /api/v1/runs/run-1/export" -> reply(ex, 200, "{\"runId\":\"run-1\",\"prompts\":{\"a\":\"A {question}\"}}");
            case "GET /api/v1/runs/run-failed" -> reply(ex, 200, run("run-failed", "FAILED", "SEARCHING"));
            case "GET /api/v1/runs/run-2" -> reply(ex, 200, cancelled.get() ? run("run-2", "STOPPED", "DONE") : run("run-2", "RUNNING", "SEARCHING"));
            case "POST /api/v1/runs/run-2/cancel" -> {
                cancelled.set(true);
                reply(ex, 202, run("run-2", "RUNNING", "SEARCHING")); // accepted; the run stops a moment later
            }
            case "POST /api/v1/runs/run-1/cancel" -> reply(ex, 409, "{\"error\":\"run run-1 already finished (COMPLETED)\"}");
            case "GET /api/v1/runs/run-2/history" -> reply(ex, 200, history(1));
            case "GET /api/v1/runs/run-2/events" -> events(ex);
            default -> reply(ex, 404, "{\"error\":\"not found\"}");
        }
    }

    /** The first connection breaks off after two events; the resumed one (Last-Event-ID: 2) brings the rest. */
    private void events(HttpExchange ex) throws IOException {
        String lastEventId = ex.getRequestHeaders().getFirst("Last-Event-ID");
        lastEventIds.add(String.valueOf(lastEventId));
        ex.getResponseHeaders().add("Content-Type", "text/event-stream");
        ex.sendResponseHeaders(200, 0);
        try (OutputStream body = ex.getResponseBody()) {
            String stream = lastEventId == null
                    ? ": keep-alive\n\nid: 1\nevent: phase\ndata: {\"phase\":\"SEARCHING\"}\n\n"
                      + "id: 2\nevent: layer\ndata: {\"agent\":\"a\",\ndata: \"layer\":1}\n\n"
                    : "id: 3\nevent: best\ndata: {\"agent\":\"a\",\"score\":0.25}\n\n"
                      + "id: 4\nevent: finished\ndata: {\"status\":\"STOPPED\"}\n\n";
            body.write(stream.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static String run(String id, String status, String phase) {
        return run(id, status, phase, 0, 0, 10);
    }

    private static String run(String id, String status, String phase, int testDone, int testTotal, long calls) {
        return """
                {"id":"%s","name":"run %1$s","owner":"admin","status":"%s","phase":"%s","strategy":"maspo",
                 "progress":{"test-seed":{"done":%d,"failed":0,"total":%d}},
                 "bestPrompts":{"a":"A {question}","b":"B {question} {context}"},
                 "seedAccuracy":%s,"optimizedAccuracy":%s,"testFailures":null,
                 "cost":[{"role":"AGENT","calls":%d,"cachedCalls":5,"promptTokens":100,"completionTokens":50,"millis":9}],
                 "costUsd":0.000045,"finishReason":null,"error":null,"createdAt":"%s","updatedAt":"%s","finishedAt":null}"""
                .formatted(id, status, phase, testDone, testTotal, "DONE".equals(phase) ? "0.5" : "null",
                        "DONE".equals(phase) ? "0.75" : "null", calls, T0, T0);
    }

    /** {@code layers} layer steps, alternating agents a and b, one every 10 s after T0. */
    private static String history(int layers) {
        StringBuilder steps = new StringBuilder("[");
        for (int i = 1; i <= layers; i++) {
            steps.append(i > 1 ? "," : "").append("""
                    {"type":"layer","agent":"%s","layer":%d,"status":"COMPLETED","beamAfter":[{"id":"n","prompt":"p","score":%s,"parentId":null}],
                     "candidates":[{"accepted":true},{"accepted":false}],"rejected":[{}],"misaligned":1,"drawn":4,
                     "recordedAt":"%s","paidCallsSoFar":%d}""".formatted(i % 2 == 1 ? "a" : "b", (i + 1) / 2, 0.125 * i,
                    T0.plusSeconds(10L * i), 100 * i));
        }
        return steps.append("]").toString();
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
        ex.close();
    }

    private Result maspo(String... args) {
        return maspo(Map.of("MASPO_URL", url, "MASPO_API_KEY", KEY, PlatformState.DIR_ENV, tmp.resolve("none").toString()), args);
    }

    private static Result maspo(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Maspo.execute(env, new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void submitPrintsTheIdAndWatchFollowsTheRunWithItsProgress() throws IOException {
        Path spec = Files.writeString(tmp.resolve("spec.json"),
                "{\"name\":\"x\",\"search\":{\"layersPerAgent\":2},\"budget\":{\"maxLlmCalls\":5000}}");

        Result submitted = maspo("submit", spec.toString());
        assertThat(submitted.code()).isEqualTo(Maspo.OK);
        assertThat(submitted.out().strip()).isEqualTo("run-9");

        Result watched = maspo("submit", spec.toString(), "--watch", "--interval", "10");
        assertThat(watched.code()).as(watched.err()).isEqualTo(Maspo.OK);
        // 2 agents x 2 layers planned; the pace is 10 s per layer (history), budget from the spec
        assertThat(watched.err()).contains("Submitted run run-9")
                .contains("search 1/4 layers  25% | a L1 best J 0.13 | calls 100/5000")
                .contains("search 4/4 layers 100% | b L2 best J 0.50 | calls 400/5000")
                .contains("test   3/8 test jobs  37%");
        assertThat(watched.out()).contains("status    COMPLETED (DONE)").contains("accuracy  seed 0.500 -> optimized 0.750")
                .contains("a: A {question}");
    }

    @Test
    void theEtaComesFromTheRunsPaceAndTheLayersLeft() throws IOException {
        var run = ai.maspo.infra.RunClient.json().readTree(run("r", "RUNNING", "SEARCHING"));
        var history = ai.maspo.infra.RunClient.json().readTree(history(2));
        RunProgress progress = RunProgress.of(run, history, new RunProgress.Plan(3, null, null, null), T0.plusSeconds(25));
        // 2 agents x 3 layers; 2 done at 10 s each, the last one 5 s ago: 4 x 10 s - 5 s
        assertThat(progress.plannedLayers()).isEqualTo(6);
        assertThat(progress.eta()).contains(Duration.ofSeconds(35));
        assertThat(progress.line()).isEqualTo("search 2/6 layers  33% | b L1 best J 0.25 | calls 10 | ETA 35s");
    }

    @Test
    void aRefusedSpecExits5WithTheViolationsAndAnUnreadableOneExits2() throws IOException {
        Result refused = maspo("submit", Files.writeString(tmp.resolve("bad.json"), "{\"name\":\"bad\"}").toString());
        assertThat(refused.code()).isEqualTo(Maspo.REFUSED);
        assertThat(refused.err()).contains("answered 400").contains("search.beamWidth");

        Result unreadable = maspo("submit", Files.writeString(tmp.resolve("broken.json"), "{\"name\":").toString());
        assertThat(unreadable.code()).isEqualTo(Maspo.USAGE);
        assertThat(maspo("submit", tmp.resolve("missing.json").toString()).code()).isEqualTo(Maspo.USAGE);
    }

    @Test
    void statusListHistoryAndExportPrintWhatTheApiSays() throws IOException {
        Result status = maspo("status", "run-1");
        assertThat(status.code()).isEqualTo(Maspo.OK);
        assertThat(status.out()).contains("run-1").contains("cost      10 paid LLM calls, 150 tokens, 0.000045 USD: AGENT 10 (5 cached)");
        assertThat(maspo("status", "run-1", "--json").out()).contains("\"bestPrompts\"");
        assertThat(status.out()).doesNotContain("progress");
        assertThat(maspo("status", "run-2", "--layers", "3").out())
                .contains("progress  search 1/6 layers  16% | a L1 best J 0.13 | calls 10");

        Result list = maspo("list");
        assertThat(list.out()).contains("run-1  COMPLETED").contains("run-2  RUNNING");
        Result paged = maspo("list", "--status", "running", "--page", "0", "--size", "20");
        assertThat(paged.out()).contains("run-2").doesNotContain("run-1");
        assertThat(requests).contains("GET /api/v1/runs?page=0&size=20&status=RUNNING");

        Result history = maspo("history", "run-1");
        assertThat(history.out().lines().toList()).hasSize(3);
        assertThat(history.out()).contains("AGENT").contains("1/4").contains("0.250");

        Path file = tmp.resolve("prompts.json");
        assertThat(maspo("export", "run-1", "-o", file.toString()).code()).isEqualTo(Maspo.OK);
        assertThat(Files.readString(file)).contains("\"runId\" : \"run-1\"");
    }

    @Test
    void exitCodesTellFailedNotFoundAuthUnreachableAndUsageApart() {
        assertThat(maspo("status", "run-failed").code()).isEqualTo(Maspo.RUN_FAILED);
        Result missing = maspo("status", "ghost");
        assertThat(missing.code()).isEqualTo(Maspo.NOT_FOUND);
        assertThat(missing.err()).contains("404");
        Result refused = maspo(Map.of("MASPO_URL", url, "MASPO_API_KEY", "mk_wrong_key"), "list");
        assertThat(refused.code()).isEqualTo(Maspo.API_ERROR);
        assertThat(refused.err()).contains("401");
        assertThat(maspo(Map.of("MASPO_URL", "http://127.0.0.1:1", "MASPO_API_KEY", KEY), "status", "run-1").code())
                .isEqualTo(Maspo.API_ERROR);
        assertThat(maspo(Map.of(PlatformState.DIR_ENV, tmp.toString()), "list").code()).isEqualTo(Maspo.USAGE);
        assertThat(maspo("status").code()).isEqualTo(Maspo.USAGE);
        assertThat(maspo("list", "--no-such-option").code()).isEqualTo(Maspo.USAGE);
    }

    @Test
    void cancelWaitsForStoppedAndRefusesAFinishedRun() {
        Result cancelled = maspo("cancel", "run-2", "--wait");
        assertThat(cancelled.code()).as(cancelled.err()).isEqualTo(Maspo.OK);
        assertThat(cancelled.out()).contains("run run-2: cancel accepted, status RUNNING")
                .containsPattern("run run-2: STOPPED \\d+\\.\\d s after the cancel");

        Result finished = maspo("cancel", "run-1");
        assertThat(finished.code()).isEqualTo(Maspo.REFUSED);
        assertThat(finished.err()).contains("already finished");
        assertThat(maspo("cancel", "ghost").code()).isEqualTo(Maspo.NOT_FOUND);
    }

    @Test
    void eventsResumeAfterTheLastEventIdAndEndWithTheRunsStatus() {
        Result events = maspo("events", "run-2");
        assertThat(events.code()).as(events.err()).isEqualTo(Maspo.RUN_FAILED); // the run ended STOPPED
        assertThat(events.out().lines().toList()).containsExactly(
                "1 phase {\"phase\":\"SEARCHING\"}",
                "2 layer {\"agent\":\"a\",", // a data field over two lines
                "\"layer\":1}",
                "3 best {\"agent\":\"a\",\"score\":0.25}",
                "4 finished {\"status\":\"STOPPED\"}");
        assertThat(lastEventIds).containsExactly("null", "2");

        Result json = maspo("events", "run-2", "--json", "--last-event-id", "2");
        assertThat(json.out().lines().toList()).containsExactly("{\"agent\":\"a\",\"score\":0.25}", "{\"status\":\"STOPPED\"}");
    }

    @Test
    void theLocalPlatformsStateFileGivesUrlAndKey() {
        new PlatformState(ProcessHandle.current().pid(), url, KEY, null, tmp.toString(), T0.toString()).write(tmp);
        Result list = maspo(Map.of(), "--platform-dir", tmp.toString(), "list");
        assertThat(list.code()).as(list.err()).isEqualTo(Maspo.OK);
        assertThat(maspo(Map.of(PlatformState.DIR_ENV, tmp.toString()), "status", "run-1").code()).isEqualTo(Maspo.OK);
    }
}
