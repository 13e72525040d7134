package ai.maspo.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The performance benchmark: runs of a spec (default {@code deploy/local/specs/bench-sequential-trap.json}, paper
 * settings, pool 50, test 200) per simulator latency and evaluator count, each on a fresh local stack (a fresh
 * evaluator cache). {@code --runs N} submits N copies at once (seeds 1..N: the same work, no shared cache entries)
 * to measure throughput and horizontal scaling. It reports the search phase's wall time (from submit until every run
 * left the SEARCHING phase; stack start excluded), the test phase's (until every run ended), the LLM calls the
 * simulator answered in each phase (its own count, so every paid call is in it) and the most it had open at once,
 * the orchestrator's CPU time during the search (its overhead, which a busy machine hides in wall time), and, given
 * two latencies, the critical path: the number of sequential LLM calls, estimated as the search time the extra
 * latency added divided by that latency; given two evaluator counts, the speed-up.
 *
 * <pre>deploy/local/bench.sh [--latency-ms 0,100] [--evaluators 1,4] [--runs N] [--spec FILE]</pre>
 */
public final class Benchmark {

    record Measurement(long latencyMillis, int evaluators, int runs, double searchSeconds, double testSeconds,
                       long searchCalls, long testCalls, long peakOpenCalls, double orchestratorCpuSeconds,
                       String status, String finishReason, String loadAverage, RoundTrips.Breakdown firstRun) {

        double totalSeconds() {
            return searchSeconds + testSeconds;
        }
    }

    private static final Duration POLL = Duration.ofMillis(50);
    /** Several runs are polled less often: 20 GETs a second per run would be a load the benchmark adds itself. */
    private static final Duration POLL_SEVERAL = Duration.ofMillis(500);

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        List<Long> latencies = numbers(options.getOrDefault("latency-ms", "0,100")).stream().map(Long::valueOf).toList();
        List<Integer> evaluatorCounts = numbers(options.getOrDefault("evaluators", "1")).stream().map(Long::intValue).toList();
        int runs = Integer.parseInt(options.getOrDefault("runs", "1"));
        LocalStackOptions defaults = LocalStackOptions.defaults();
        Path specFile = options.containsKey("spec") ? Path.of(options.get("spec")).toAbsolutePath()
                : defaults.projectRoot().resolve("deploy/local/specs/bench-sequential-trap.json");
        ObjectNode template = (ObjectNode) RunClient.json().readTree(Files.readString(specFile));

        List<Measurement> results = new ArrayList<>();
        for (long latency : latencies) {
            for (int evaluators : evaluatorCounts) {
                LocalStackOptions stackOptions = defaults.withEvaluatorReplicas(evaluators)
                        .withSimulatorLatencyMillis(latency);
                try (LocalStack stack = LocalStack.start(stackOptions)) {
                    Measurement m = measure(stack, template, latency, evaluators, runs);
                    results.add(m);
                    System.out.println(row(m));
                    System.out.println("  " + m.firstRun().describe());
                }
            }
        }
        System.out.println();
        System.out.println(table(specFile, results));
        System.exit(results.stream().allMatch(m -> "COMPLETED".equals(m.status())) ? 0 : 1);
    }

    private static Measurement measure(LocalStack stack, ObjectNode template, long latency, int evaluators, int runs) {
        String simulatorUrl = stack.simulatorUrl().orElseThrow(
                () -> new IllegalStateException("the benchmark needs the simulator (unset MASPO_LLM_BASE_URL)"));
        SimulatorStats simulator = new SimulatorStats(simulatorUrl);
        RunClient client = stack.runClient();
        ProcessHandle orchestrator = stack.serviceProcess("orchestrator").orElseThrow();
        List<ObjectNode> specs = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            ObjectNode spec = client.withSimulatorData(template.deepCopy(), simulatorUrl);
            spec.with("search").put("seed", template.path("search").path("seed").asLong(1) + i);
            specs.add(spec);
        }
        simulator.reset();
        Duration cpuBefore = cpu(orchestrator);
        long start = System.nanoTime();
        List<String> ids = specs.stream().map(client::submit).toList();
        Duration poll = runs == 1 ? POLL : POLL_SEVERAL;
        Map<String, JsonNode> latest = new LinkedHashMap<>();
        while (ids.stream().anyMatch(id -> isSearching(latest.computeIfAbsent(id, client::get)))) {
            LocalStack.sleep(poll.toMillis());
            ids.forEach(id -> latest.put(id, client.get(id)));
        }
        long searchEnd = System.nanoTime();
        double searchCpu = cpu(orchestrator).minus(cpuBefore).toMillis() / 1000.0;
        long searchCalls = simulator.calls();
        List<JsonNode> finished = ids.stream()
                .map(id -> client.awaitTerminal(id, Duration.ofMinutes(30), poll, r -> { })).toList();
        long end = System.nanoTime();
        JsonNode notCompleted = finished.stream().filter(r -> !"COMPLETED".equals(r.path("status").asText()))
                .findFirst().orElse(finished.getFirst());
        return new Measurement(latency, evaluators, runs, (searchEnd - start) / 1e9, (end - searchEnd) / 1e9,
                searchCalls, simulator.calls() - searchCalls, simulator.peakOpen(), searchCpu,
                notCompleted.path("status").asText(), notCompleted.path("finishReason").asText(), loadAverage(),
                RoundTrips.of(stack.postgres(), ids.getFirst()));
    }

    /** CPU time the process has used so far: the orchestrator's work, which wall time on a busy machine hides. */
    private static Duration cpu(ProcessHandle process) {
        return process.info().totalCpuDuration().orElse(Duration.ZERO);
    }

    /** The machine's 1-minute load average at the end of a run: figures taken on a busy machine are not comparable. */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    private static boolean isSearching(JsonNode run) {
        return "SEARCHING".equals(run.path("phase").asText())
                && !RunClient.TERMINAL_STATUSES.contains(run.path("status").asText());
    }

    static String table(Path spec, List<Measurement> results) {
        StringBuilder out = new StringBuilder("Benchmark " + spec.getFileName() + "; calls = LLM calls the simulator "
                + "answered; peak = the most it had open at once; LLM calls in flight per evaluator: "
                + System.getenv().getOrDefault("MASPO_LLM_MAX_IN_FLIGHT", "default") + "\n\n");
        out.append("| latency ms | evaluators | runs | search s | test s | search calls | test calls | peak | "
                + "orchestrator CPU s (search) | status | finish | load |\n");
        out.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        results.forEach(m -> out.append(row(m)).append('\n'));
        out.append("\nWhere the first run's search time went (RoundTrips):");
        results.forEach(m -> out.append(String.format(Locale.ROOT, "%n- %d ms, %d evaluator(s): %s", m.latencyMillis(),
                m.evaluators(), m.firstRun().describe())));
        out.append('\n');
        for (Measurement m : results) {
            results.stream().filter(z -> z.latencyMillis() == 0 && z.evaluators() == m.evaluators())
                    .filter(z -> m.latencyMillis() > 0).findFirst().ifPresent(zero -> {
                        double path = (m.searchSeconds() - zero.searchSeconds()) * 1000 / m.latencyMillis();
                        out.append(String.format(Locale.ROOT, "%nCritical path (search, %d evaluator(s)) ~ %.0f "
                                        + "sequential LLM calls (%.1f s added by %d ms); target at %d ms: <= %.1f s "
                                        + "(1.15 x path x latency)", m.evaluators(), path,
                                m.searchSeconds() - zero.searchSeconds(), m.latencyMillis(), m.latencyMillis(),
                                1.15 * path * m.latencyMillis() / 1000));
                    });
            results.stream().filter(one -> one.evaluators() == 1 && one.latencyMillis() == m.latencyMillis())
                    .filter(one -> m.evaluators() > 1).findFirst().ifPresent(one -> out.append(String.format(
                            Locale.ROOT, "%nScaling at %d ms: %d runs took %.1f s on 1 evaluator, %.1f s on %d: "
                                    + "%.2f x sooner", m.latencyMillis(), m.runs(), one.totalSeconds(),
                            m.totalSeconds(), m.evaluators(), one.totalSeconds() / m.totalSeconds())));
        }
        return out.toString();
    }

    private static String row(Measurement m) {
        return String.format(Locale.ROOT, "| %d | %d | %d | %.1f | %.1f | %d | %d | %d | %.1f | %s | %s | %s |",
                m.latencyMillis(), m.evaluators(), m.runs(), m.searchSeconds(), m.testSeconds(), m.searchCalls(),
                m.testCalls(), m.peakOpenCalls(), m.orchestratorCpuSeconds(), m.status(), m.finishReason(),
                m.loadAverage());
    }

    private static List<Long> numbers(String list) {
        return List.of(list.split(",")).stream().map(String::trim).map(Long::parseLong).toList();
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("usage: --latency-ms 0,100 --evaluators 1,4 --runs N --spec FILE");
            }
            options.put(args[i].substring(2), args[++i]);
        }
        return options;
    }

    private Benchmark() {
    }
}
