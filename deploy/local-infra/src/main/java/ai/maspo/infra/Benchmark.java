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
 * The performance benchmark: one run of a spec (default {@code deploy/local/specs/bench-sequential-trap.json},
 * paper settings, pool 50, test 200) per simulator latency, each on a fresh local stack (a fresh evaluator cache),
 * 1 evaluator by default. It reports the search phase's wall time (from submit until the run leaves the SEARCHING
 * phase; stack start excluded), the test phase's, the LLM calls the simulator answered in each phase (its own count,
 * so every paid call is in it), the orchestrator's CPU time during the search (its overhead, which a busy machine
 * hides in wall time), and, given two latencies, the critical path: the number of sequential LLM calls,
 * estimated as the search time the extra latency added divided by that latency.
 *
 * <pre>deploy/local/bench.sh [--latency-ms 0,100] [--evaluators N] [--spec FILE]</pre>
 */
public final class Benchmark {

    record Measurement(long latencyMillis, double searchSeconds, double testSeconds, long searchCalls, long testCalls,
                       double orchestratorCpuSeconds, String status, String finishReason, String loadAverage) {
    }

    private static final Duration POLL = Duration.ofMillis(50);

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        List<Long> latencies = List.of(options.getOrDefault("latency-ms", "0,100").split(",")).stream()
                .map(String::trim).map(Long::parseLong).toList();
        LocalStackOptions defaults = LocalStackOptions.defaults()
                .withEvaluatorReplicas(Integer.parseInt(options.getOrDefault("evaluators", "1")));
        Path specFile = options.containsKey("spec") ? Path.of(options.get("spec")).toAbsolutePath()
                : defaults.projectRoot().resolve("deploy/local/specs/bench-sequential-trap.json");
        ObjectNode template = (ObjectNode) RunClient.json().readTree(Files.readString(specFile));

        List<Measurement> results = new ArrayList<>();
        for (long latency : latencies) {
            try (LocalStack stack = LocalStack.start(defaults.withSimulatorLatencyMillis(latency))) {
                Measurement m = measure(stack, template, latency);
                results.add(m);
                System.out.println(row(m));
            }
        }
        System.out.println();
        System.out.println(table(specFile, defaults.evaluatorReplicas(), results));
        System.exit(results.stream().allMatch(m -> "COMPLETED".equals(m.status())) ? 0 : 1);
    }

    private static Measurement measure(LocalStack stack, ObjectNode template, long latency) {
        String simulator = stack.simulatorUrl().orElseThrow(
                () -> new IllegalStateException("the benchmark needs the simulator (unset MASPO_LLM_BASE_URL)"));
        RunClient client = stack.runClient();
        ObjectNode spec = client.withSimulatorData(template, simulator);
        ProcessHandle orchestrator = stack.serviceProcess("orchestrator").orElseThrow();
        Duration cpuBefore = cpu(orchestrator);
        long start = System.nanoTime();
        String id = client.submit(spec);
        JsonNode run = client.get(id);
        while (isSearching(run)) {
            LocalStack.sleep(POLL.toMillis());
            run = client.get(id);
        }
        long searchEnd = System.nanoTime();
        double searchCpu = cpu(orchestrator).minus(cpuBefore).toMillis() / 1000.0;
        long searchCalls = new SimulatorStats(simulator).calls();
        run = client.awaitTerminal(id, Duration.ofMinutes(30), POLL, r -> { });
        long end = System.nanoTime();
        return new Measurement(latency, (searchEnd - start) / 1e9, (end - searchEnd) / 1e9, searchCalls,
                new SimulatorStats(simulator).calls() - searchCalls, searchCpu, run.path("status").asText(),
                run.path("finishReason").asText(), loadAverage());
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

    static String table(Path spec, int evaluators, List<Measurement> results) {
        StringBuilder out = new StringBuilder("Benchmark " + spec.getFileName() + ", " + evaluators
                + " evaluator(s); calls = LLM calls the simulator answered\n\n");
        out.append("| latency ms | search s | test s | search calls | test calls | orchestrator CPU s (search) | status | finish | load |\n");
        out.append("|---|---|---|---|---|---|---|---|---|\n");
        results.forEach(m -> out.append(row(m)).append('\n'));
        Map<Long, Measurement> byLatency = new LinkedHashMap<>();
        results.forEach(m -> byLatency.put(m.latencyMillis(), m));
        Measurement zero = byLatency.get(0L);
        if (zero != null) {
            for (Measurement m : results) {
                if (m.latencyMillis() > 0) {
                    double path = (m.searchSeconds() - zero.searchSeconds()) * 1000 / m.latencyMillis();
                    out.append(String.format(Locale.ROOT, "%nCritical path (search) ~ %.0f sequential LLM calls "
                                    + "(%.1f s added by %d ms); target at %d ms: <= %.1f s (1.15 x path x latency)",
                            path, m.searchSeconds() - zero.searchSeconds(), m.latencyMillis(), m.latencyMillis(),
                            1.15 * path * m.latencyMillis() / 1000));
                }
            }
        }
        return out.toString();
    }

    private static String row(Measurement m) {
        return String.format(Locale.ROOT, "| %d | %.1f | %.1f | %d | %d | %.1f | %s | %s | %s |", m.latencyMillis(),
                m.searchSeconds(), m.testSeconds(), m.searchCalls(), m.testCalls(), m.orchestratorCpuSeconds(),
                m.status(), m.finishReason(), m.loadAverage());
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("usage: --latency-ms 0,100 --evaluators N --spec FILE");
            }
            options.put(args[i].substring(2), args[++i]);
        }
        return options;
    }

    private Benchmark() {
    }
}
