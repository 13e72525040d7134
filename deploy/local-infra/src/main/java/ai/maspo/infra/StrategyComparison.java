package ai.maspo.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Compares search strategies on a simulator scenario: starts the local stack once, runs every strategy with
 * every seed (one run at a time, so wall times are comparable), and prints test accuracy of the seed and the
 * optimized prompts, LLM calls per model role and wall time, per run and averaged per strategy. Each run's
 * final state and search history are kept as JSON in the stack's log folder, for a closer look.
 *
 * <pre>deploy/local/compare.sh [--scenario S] [--strategies a,b] [--seeds N] [--evaluators N] [--layers D]</pre>
 */
public final class StrategyComparison {

    record Row(String strategy, long seed, double seedAccuracy, double optimizedAccuracy, Map<String, Long> calls,
               long cachedCalls, double wallSeconds, String finishReason) {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        String scenario = options.getOrDefault("scenario", "sequential-trap");
        List<String> strategies = List.of(options.getOrDefault("strategies", "maspo,maspo-local-only,spo").split(","));
        int seeds = Integer.parseInt(options.getOrDefault("seeds", "3"));
        int evaluators = Integer.parseInt(options.getOrDefault("evaluators", "2"));
        LocalStackOptions stackOptions = LocalStackOptions.defaults().withEvaluatorReplicas(evaluators);
        Path specFile = stackOptions.projectRoot().resolve("deploy/local/specs/" + scenario + ".json");
        ObjectNode template = (ObjectNode) RunClient.json().readTree(Files.readString(specFile));
        if (options.containsKey("layers")) {
            ((ObjectNode) template.path("search")).put("layersPerAgent", Integer.parseInt(options.get("layers")));
        }

        List<Row> rows = new ArrayList<>();
        try (LocalStack stack = LocalStack.start(stackOptions)) {
            RunClient client = stack.runClient();
            ObjectNode withData = client.withSimulatorData(template, stack.simulatorUrl().orElseThrow(
                    () -> new IllegalStateException("the comparison needs the simulator (unset MASPO_LLM_BASE_URL)")));
            for (String strategy : strategies) {
                for (long seed = 1; seed <= seeds; seed++) {
                    ObjectNode spec = withData.deepCopy();
                    ((ObjectNode) spec.path("search")).put("strategy", strategy).put("seed", seed);
                    spec.put("name", scenario + " " + strategy + " seed " + seed);
                    Instant start = Instant.now();
                    String id = client.submit(spec);
                    JsonNode run = client.awaitTerminal(id, Duration.ofMinutes(30), r -> { });
                    double wall = Duration.between(start, Instant.now()).toMillis() / 1000.0;
                    if (!"COMPLETED".equals(run.path("status").asText())) {
                        throw new IllegalStateException("run " + id + " ended " + run.path("status") + ": "
                                + run.path("error").asText() + " (logs in " + stack.logDir() + ")");
                    }
                    client.keep(id, run, stack.logDir().resolve("runs"), strategy + "-seed" + seed);
                    Map<String, Long> calls = new LinkedHashMap<>();
                    long cached = 0;
                    for (JsonNode cost : run.path("cost")) {
                        calls.put(cost.path("role").asText(), cost.path("calls").asLong());
                        cached += cost.path("cachedCalls").asLong();
                    }
                    Row row = new Row(strategy, seed, run.path("seedAccuracy").asDouble(),
                            run.path("optimizedAccuracy").asDouble(), calls, cached, wall,
                            run.path("finishReason").asText());
                    rows.add(row);
                    System.out.println(format(row));
                }
            }
        }
        System.out.println();
        System.out.println(table(scenario, rows));
    }

    static String table(String scenario, List<Row> rows) {
        StringBuilder out = new StringBuilder("Scenario " + scenario + " (test accuracy on the held-out test set; "
                + "calls = paid LLM calls, cached calls cost nothing)\n\n");
        out.append("| strategy | seed | seed prompts | optimized | agent calls | optimizer calls | judge calls | cached | wall s |\n");
        out.append("|---|---|---|---|---|---|---|---|---|\n");
        rows.forEach(r -> out.append(format(r)).append('\n'));
        out.append("\nMeans per strategy:\n\n| strategy | seed prompts | optimized | agent calls | optimizer calls | judge calls | wall s |\n");
        out.append("|---|---|---|---|---|---|---|\n");
        rows.stream().map(Row::strategy).distinct().forEach(strategy -> {
            List<Row> of = rows.stream().filter(r -> r.strategy().equals(strategy)).toList();
            out.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f | %.0f | %.0f | %.0f | %.1f |%n", strategy,
                    mean(of, Row::seedAccuracy), mean(of, Row::optimizedAccuracy),
                    mean(of, r -> r.calls().getOrDefault("AGENT", 0L)), mean(of, r -> r.calls().getOrDefault("OPTIMIZER", 0L)),
                    mean(of, r -> r.calls().getOrDefault("JUDGE", 0L)), mean(of, Row::wallSeconds)));
        });
        return out.toString();
    }

    private static String format(Row r) {
        return String.format(Locale.ROOT, "| %s | %d | %.3f | %.3f | %d | %d | %d | %d | %.1f |", r.strategy(), r.seed(),
                r.seedAccuracy(), r.optimizedAccuracy(), r.calls().getOrDefault("AGENT", 0L),
                r.calls().getOrDefault("OPTIMIZER", 0L), r.calls().getOrDefault("JUDGE", 0L), r.cachedCalls(),
                r.wallSeconds());
    }

    private static double mean(List<Row> rows, java.util.function.ToDoubleFunction<Row> f) {
        return rows.stream().mapToDouble(f).average().orElse(Double.NaN);
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("usage: --scenario S --strategies a,b --seeds N --evaluators N --layers D");
            }
            options.put(args[i].substring(2), args[++i]);
        }
        return options;
    }

    private StrategyComparison() {
    }
}
