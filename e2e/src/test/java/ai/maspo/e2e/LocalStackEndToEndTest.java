package ai.maspo.e2e;

import ai.maspo.infra.LocalStack;
import ai.maspo.infra.LocalStackOptions;
import ai.maspo.infra.ProjectLayout;
import ai.maspo.infra.RunClient;
import ai.maspo.infra.SimulatorStats;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The whole platform as separate processes (packaged services, simulator, Kafka, PostgreSQL), driven only through
 * HTTP: the example run completes a real MASPO search, closing the stack leaves no process, and the same spec and
 * seed give the same optimized prompts and history with one evaluator and with three, across an orchestrator crash,
 * and pay the same number of LLM calls (the evaluators share their answer cache); the API answers only to the stack's
 * credentials.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalStackEndToEndTest {

    /** Only guards against a hang: a run takes about a minute, but a loaded 2-core machine can stretch that a lot. */
    private static final Duration HANG_GUARD = Duration.ofMinutes(15);

    private JsonNode oneEvaluatorRun;
    private JsonNode oneEvaluatorHistory;

    @Test
    @Order(1)
    void exampleRunCompletesOnTheSimulatorAndCloseLeavesNoProcess() throws Exception {
        try (OtlpTraceReceiver traces = new OtlpTraceReceiver();
             LocalStack stack = LocalStack.start(LocalStackOptions.defaults().withEvaluatorReplicas(1)
                     .withTracesEndpoint(traces.endpoint()).withJsonLogs())) {
            RunClient client = stack.runClient();
            String simulator = stack.simulatorUrl().orElseThrow();
            String runId = client.submit(client.withSimulatorData(smallExample(), simulator));
            JsonNode run = client.awaitTerminal(runId, HANG_GUARD, r -> { });
            JsonNode history = client.history(runId);

            assertThat(run.path("status").asText()).as("final run: %s (logs in %s)", run, stack.logDir()).isEqualTo("COMPLETED");
            assertThat(run.path("finishReason").asText()).isNotBlank();
            for (String agent : List.of("predictor", "reflector")) {
                assertThat(run.path("bestPrompts").path(agent).asText()).as("best prompt of %s", agent).contains("{question}");
                assertThat(history).as("history of %s", agent)
                        .anySatisfy(h -> assertThat(h.path("agent").asText()).isEqualTo(agent));
            }
            assertThat(history).allSatisfy(h -> {
                assertThat(h.path("recordedAt").isTextual()).as("recordedAt of %s", h).isTrue();
                assertThat(h.path("paidCallsSoFar").isIntegralNumber()).as("paidCallsSoFar of %s", h).isTrue();
            });
            assertThat(run.path("seedAccuracy").asDouble(-1)).isBetween(0.0, 1.0);
            assertThat(run.path("optimizedAccuracy").asDouble(-1)).isBetween(0.0, 1.0);
            // The cost is fed by its own topic (usage reports, sent as calls are paid): the last reports may
            // land just after the run completed.
            long simulatorCalls = new SimulatorStats(simulator).calls();
            for (long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                 paidCalls(run) != simulatorCalls && System.nanoTime() < deadline; run = client.get(runId)) {
                Thread.sleep(200);
            }
            long reportedCalls = 0;
            for (JsonNode roleCost : run.path("cost")) {
                assertThat(roleCost.path("calls").asLong()).as("calls of %s", roleCost).isPositive();
                reportedCalls += roleCost.path("calls").asLong();
            }
            assertThat(run.path("cost")).extracting(c -> c.path("role").asText())
                    .containsExactlyInAnyOrder("AGENT", "OPTIMIZER", "JUDGE");
            // Every call the run paid for reached the simulator; the simulator saw no other traffic.
            assertThat(simulatorCalls).isEqualTo(reportedCalls);
            oneEvaluatorRun = run;
            oneEvaluatorHistory = history;
            System.out.printf("one evaluator: %d paid calls, %d cache hits%n", reportedCalls, cachedCalls(run));
            assertOneTraceLinksDispatchToAnLlmCall(traces, runId);
            assertJsonLogLineWithRunAndTraceIds(stack, runId);
            assertAlertsAndDashboardUseExposedMetrics(stack);

            // The API is authenticated (the stack's readiness was read from the management port): a made-up key is
            // refused, and a user's JWT signed with the stack's key is accepted but does not see the admin's run.
            assertThatThrownBy(() -> new RunClient(stack.orchestratorUrl(), "mk_0000000000000000_" + "x".repeat(43)).get(runId))
                    .hasMessageContaining("answered 401");
            RunClient user = new RunClient(stack.orchestratorUrl(), stack.credentials().token("e2e-user", Duration.ofMinutes(10)));
            assertThatThrownBy(() -> user.get(runId)).hasMessageContaining("answered 404");

            List<ProcessHandle> started = stack.processes();
            // broker, PostgreSQL, simulator, sampler, 1 evaluator, orchestrator
            assertThat(started).hasSizeGreaterThanOrEqualTo(6).allSatisfy(p -> assertThat(p.isAlive()).isTrue());
            List<ProcessHandle> children = new ArrayList<>(ProcessHandle.current().descendants().toList());
            stack.close();
            assertThat(started).noneSatisfy(p -> assertThat(p.isAlive()).isTrue());
            assertThat(children).noneSatisfy(p -> assertThat(p.isAlive()).isTrue());
            assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList()).isEmpty();
        }
    }

    /**
     * Three evaluators instead of one, and the orchestrator killed without warning in the middle of the search and
     * started again: the run carries on from PostgreSQL and ends with exactly the same prompts and history.
     */
    @Test
    @Order(2)
    void threeEvaluatorsAndAnOrchestratorCrashFindTheSamePromptsAsOne() throws Exception {
        assertThat(oneEvaluatorRun).as("the one-evaluator run of the first test").isNotNull();
        try (LocalStack stack = LocalStack.start(LocalStackOptions.defaults().withEvaluatorReplicas(3))) {
            RunClient client = stack.runClient();
            String runId = client.submit(client.withSimulatorData(smallExample(), stack.simulatorUrl().orElseThrow()));
            long deadline = System.nanoTime() + HANG_GUARD.toNanos();
            while (client.history(runId).size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(client.history(runId)).as("two steps done before the crash").hasSizeGreaterThanOrEqualTo(2);
            assertThat(client.get(runId).path("status").asText()).as("still searching when it crashes").isEqualTo("RUNNING");
            stack.crashAndRestart("orchestrator");
            JsonNode run = client.awaitTerminal(runId, HANG_GUARD, r -> { });
            long simulatorCalls = new SimulatorStats(stack.simulatorUrl().orElseThrow()).calls();
            for (long settle = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                 paidCalls(run) != simulatorCalls && System.nanoTime() < settle; run = client.get(runId)) {
                Thread.sleep(200);
            }
            System.out.printf("three evaluators: %d paid calls (simulator: %d), %d cache hits%n", paidCalls(run),
                    simulatorCalls, cachedCalls(run));

            assertThat(run.path("status").asText()).as("logs in %s", stack.logDir()).isEqualTo("COMPLETED");
            // Each reproducible request is paid once, whichever evaluator asks first (shared answer cache), and the
            // jobs the crash made the orchestrator send again were answered from it.
            assertThat(simulatorCalls).as("requests the LLM received with 3 evaluators vs 1")
                    .isEqualTo(paidCalls(oneEvaluatorRun));
            assertThat(paidCalls(run)).as("paid calls with 3 evaluators vs 1").isEqualTo(paidCalls(oneEvaluatorRun));
            assertThat(run.path("bestPrompts")).isEqualTo(oneEvaluatorRun.path("bestPrompts"));
            assertThat(run.path("optimizedAccuracy")).isEqualTo(oneEvaluatorRun.path("optimizedAccuracy"));
            // Each step once, in order, whatever the crash: the search itself equals the undisturbed one's (when
            // each step was stored and what had been paid by then differ).
            assertThat(RunClient.searchOnly(client.history(runId)))
                    .isEqualTo(RunClient.searchOnly(oneEvaluatorHistory));
        }
    }

    /**
     * Tracing across Kafka: some evaluator LLM call's span descends, through the evaluator's job span and the outbox
     * relay's publish span, from the span of the orchestrator that stored the command, all in one trace. Spans are
     * exported in batches (every second here), so the chain may need a moment to be complete.
     */
    private static void assertOneTraceLinksDispatchToAnLlmCall(OtlpTraceReceiver traces, String runId)
            throws InterruptedException {
        List<String> chain = List.of();
        for (long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos(); System.nanoTime() < deadline; ) {
            chain = traces.spans().stream()
                    .filter(s -> s.service().equals("maspo-evaluator") && s.name().startsWith("chat "))
                    .map(call -> ancestry(traces, call))
                    .filter(c -> c.stream().anyMatch(n -> n.startsWith("maspo-orchestrator: dispatch ")))
                    .findFirst().orElse(List.of());
            if (!chain.isEmpty()) {
                break;
            }
            Thread.sleep(500);
        }
        assertThat(chain).as("an LLM call's ancestry, out of %d spans received", traces.spans().size())
                .anyMatch(n -> n.startsWith("maspo-evaluator: chat agent") || n.startsWith("maspo-evaluator: chat judge"))
                .anyMatch(n -> n.startsWith("maspo-evaluator: evaluate "))
                .contains("maspo-orchestrator: publish maspo.evaluation-requests")
                .anyMatch(n -> n.startsWith("maspo-orchestrator: dispatch "));
        OtlpTraceReceiver.ReceivedSpan job = traces.spans().stream()
                .filter(s -> s.name().startsWith("evaluate ") && runId.equals(s.attributes().get("maspo.run.id")))
                .findFirst().orElseThrow(() -> new AssertionError("no evaluator job span carries run id " + runId));
        assertThat(job.attributes()).containsKeys("maspo.request.id", "maspo.job.kind");
        assertThat(traces.spans()).as("dispatch spans carry run and request ids, a job's also its command id")
                .filteredOn(s -> s.name().startsWith("dispatch "))
                .allSatisfy(s -> assertThat(s.attributes()).containsKeys("maspo.run.id", "maspo.request.id"))
                .filteredOn(s -> s.name().matches("dispatch (baseline|propose|score)"))
                .isNotEmpty()
                .allSatisfy(s -> assertThat(s.attributes()).containsKey("maspo.command.id"));
    }

    /** The orchestrator logs JSON lines; the one saying the run completed carries its run id and a trace id. */
    private static void assertJsonLogLineWithRunAndTraceIds(LocalStack stack, String runId) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(stack.logDir().resolve("orchestrator.log"))) {
            if (line.startsWith("{")) {
                lines.add(json.readTree(line));
            }
        }
        assertThat(lines).as("JSON lines in %s", stack.logDir().resolve("orchestrator.log")).isNotEmpty()
                .anySatisfy(line -> {
                    assertThat(line.path("message").asText()).startsWith("run " + runId + " completed");
                    assertThat(line.path("mdc").path("runId").asText()).isEqualTo(runId);
                    assertThat(line.path("mdc").path("traceId").asText()).matches("[0-9a-f]{32}");
                });
    }

    /**
     * Every metric the alert rules and the Grafana dashboard of deploy/observability query is one the services
     * expose (their syntax is checked offline by deploy/k8s/tools/validate.sh, their names only here).
     */
    private static void assertAlertsAndDashboardUseExposedMetrics(LocalStack stack) throws Exception {
        Path monitoring = ProjectLayout.findRoot().resolve("deploy/observability");
        String queries = Files.readString(monitoring.resolve("prometheus-rules.yml"))
                + Files.readString(monitoring.resolve("grafana-dashboard.json"));
        Set<String> used = new TreeSet<>();
        Matcher name = Pattern.compile("\\b(?:maspo|kafka_consumer)_[a-z_]+").matcher(queries);
        while (name.find()) {
            used.add(name.group());
        }
        Set<String> exposed = new HashSet<>();
        HttpClient http = HttpClient.newHttpClient();
        for (String service : List.of("orchestrator", "evaluator-1", "sampler")) {
            String metrics = http.send(HttpRequest.newBuilder(URI.create(
                            "http://127.0.0.1:" + stack.managementPort(service) + "/q/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            metrics.lines().filter(l -> !l.startsWith("#") && !l.isBlank())
                    .forEach(l -> exposed.add(l.split("[{ ]", 2)[0]));
        }
        assertThat(used).as("metric names in deploy/observability").hasSizeGreaterThan(15);
        assertThat(exposed).as("metrics the services expose").containsAll(used);
    }

    /** "service: name" of a span and of each of its ancestors, from the span up. */
    private static List<String> ancestry(OtlpTraceReceiver traces, OtlpTraceReceiver.ReceivedSpan span) {
        List<String> names = new ArrayList<>();
        for (Optional<OtlpTraceReceiver.ReceivedSpan> at = Optional.of(span); at.isPresent(); at = traces.parentOf(at.get())) {
            names.add(at.get().service() + ": " + at.get().name());
        }
        return names;
    }

    /** The example spec with a small search (2 layers per agent, so a revisit and a beam refresh happen). */
    static ObjectNode smallExample() throws IOException {
        ObjectNode spec = (ObjectNode) RunClient.json().readTree(Files.readString(
                LocalStackOptions.defaults().projectRoot().resolve("deploy/local/example-run.json")));
        ((ObjectNode) spec.path("data")).put("poolSize", 20).put("testSize", 10);
        ((ObjectNode) spec.path("search")).put("layersPerAgent", 2).put("layersPerTurn", 1).put("minibatchSize", 6)
                .put("seed", 11);
        return spec;
    }

    private static long cachedCalls(JsonNode run) {
        long cached = 0;
        for (JsonNode roleCost : run.path("cost")) {
            cached += roleCost.path("cachedCalls").asLong();
        }
        return cached;
    }

    private static long paidCalls(JsonNode run) {
        long calls = 0;
        for (JsonNode roleCost : run.path("cost")) {
            calls += roleCost.path("calls").asLong();
        }
        return calls;
    }
}
