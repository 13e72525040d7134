package ai.maspo.infra.bench;

import ai.maspo.infra.LocalStack;
import ai.maspo.infra.LocalStackOptions;
import ai.maspo.infra.RunClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The strategy benchmark (issue 13): scenarios × strategies × seeds on one local stack, one run at a time, and per
 * scenario and strategy the test accuracy of the seed and the optimized prompts with 95 % intervals, the paired
 * per-seed difference to {@code maspo-local-only} with its interval, how many runs ended with a known trap in their
 * final prompts, paid LLM calls per role, the critical path and the wall time; written as JSON, Markdown and PNG
 * charts. See docs/benchmarks.md.
 *
 * <pre>deploy/local/strategy-bench.sh [--scenarios a,b] [--strategies a,b] [--seeds N] [--pool-size N]
 *     [--test-size N] [--layers D] [--evaluators N] [--scenario-dir DIR] [--critical-path-latency-ms L]
 *     [--shared-cache] [--out DIR]</pre>
 *
 * A strategy may carry guard settings, {@code maspo-guarded:doNoHarm=false+confidence=1}, to measure an ablation.
 */
public final class StrategyBenchmark {

    static final String REFERENCE = "maspo-local-only";
    static final String SHIPPED_SCENARIOS = "llm-simulator/src/main/resources/scenarios";

    record Options(List<String> scenarios, List<String> strategies, int seeds, int poolSize, int testSize,
                   Integer layers, int evaluators, Path scenarioDir, long pathLatencyMillis, boolean sharedCache,
                   Path out) {

        static Options parse(String[] args, Path root) {
            Map<String, String> o = new LinkedHashMap<>();
            boolean sharedCache = List.of(args).contains("--shared-cache");
            args = java.util.Arrays.stream(args).filter(a -> !a.equals("--shared-cache")).toArray(String[]::new);
            for (int i = 0; i < args.length; i++) {
                if (!args[i].startsWith("--") || i + 1 >= args.length) {
                    throw new IllegalArgumentException("usage: --scenarios a,b --strategies a,b --seeds N --pool-size N "
                            + "--test-size N --layers D --evaluators N --scenario-dir DIR --critical-path-latency-ms L --shared-cache --out DIR");
                }
                o.put(args[i].substring(2), args[++i]);
            }
            String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
            return new Options(
                    List.of(o.getOrDefault("scenarios", "sequential-trap,chain-middle-trap,llm-aggregator-trap,hierarchical-trap,debate-trap,aligned-control").split(",")),
                    List.of(o.getOrDefault("strategies", "maspo,maspo-local-only,maspo-guarded").split(",")),
                    Integer.parseInt(o.getOrDefault("seeds", "5")),
                    Integer.parseInt(o.getOrDefault("pool-size", "50")),
                    Integer.parseInt(o.getOrDefault("test-size", "200")),
                    o.containsKey("layers") ? Integer.valueOf(o.get("layers")) : null,
                    Integer.parseInt(o.getOrDefault("evaluators", "2")),
                    o.containsKey("scenario-dir") ? Path.of(o.get("scenario-dir")).toAbsolutePath() : null,
                    Long.parseLong(o.getOrDefault("critical-path-latency-ms", "300")), sharedCache,
                    o.containsKey("out") ? Path.of(o.get("out")) : root.resolve("target/strategy-bench/" + stamp));
        }
    }

    /** One run; {@code trapsInFinal} lists "agent:skill" of every known trap in its final prompts. */
    record Run(String scenario, String strategy, long seed, double seedAccuracy, double optimizedAccuracy,
               Map<String, Long> calls, double wallSeconds, List<String> trapsInFinal, String finishReason) {
    }

    /**
     * @param differenceToLocalOnly paired per-seed difference of optimized accuracy to maspo-local-only; null when it
     *                              was not run
     * @param trapRuns              runs whose final prompts hold a known trap, of {@code seeds}
     * @param criticalPath          sequential LLM calls of the seed-1 run, estimated from a rerun at a known latency;
     *                              null when not measured
     */
    record Summary(String scenario, String strategy, int seeds, Interval seedAccuracy, Interval optimizedAccuracy,
                   Interval differenceToLocalOnly, int trapRuns, Map<String, Double> meanCalls, Double criticalPath,
                   double meanWallSeconds) {
    }

    public static void main(String[] args) throws Exception {
        LocalStackOptions stackOptions = LocalStackOptions.defaults();
        Path root = stackOptions.projectRoot();
        Options options = Options.parse(args, root);
        Map<String, ScenarioTraps> traps = new LinkedHashMap<>();
        Map<String, ObjectNode> templates = new LinkedHashMap<>();
        for (String scenario : options.scenarios()) {
            traps.put(scenario, ScenarioTraps.read(scenarioFile(root, options.scenarioDir(), scenario)));
            templates.put(scenario, template(root, options, scenario));
        }
        Files.createDirectories(options.out());
        List<Run> runs = new ArrayList<>();
        Map<String, Double> criticalPaths = new TreeMap<>();
        Path keptRuns;
        try (LocalStack stack = LocalStack.start(stackOptions.withEvaluatorReplicas(options.evaluators()))) {
            keptRuns = stack.logDir().resolve("runs");
            List<String> scenarioFlags = options.scenarioDir() == null ? List.of()
                    : List.of("--scenario-dir", options.scenarioDir().toString());
            if (!scenarioFlags.isEmpty()) {
                stack.restartSimulator(scenarioFlags);
            }
            String simulator = stack.simulatorUrl().orElseThrow(
                    () -> new IllegalStateException("the benchmark needs the simulator (unset MASPO_LLM_BASE_URL)"));
            RunClient client = stack.runClient();
            for (String scenario : options.scenarios()) {
                ObjectNode withData = client.withSimulatorData(templates.get(scenario), simulator);
                for (String strategy : options.strategies()) {
                    for (long seed = 1; seed <= options.seeds(); seed++) {
                        if (!options.sharedCache()) {
                            stack.forgetLlmAnswers();
                        }
                        Run run = run(stack, client, withData, scenario, strategy, seed, traps.get(scenario));
                        runs.add(run);
                        System.out.println(format(run));
                    }
                }
            }
            if (options.pathLatencyMillis() > 0) {
                measureCriticalPaths(stack, client, options, templates, traps, scenarioFlags, simulator, criticalPaths);
            }
        }
        List<Summary> summaries = summarise(options, runs, criticalPaths);
        ObjectMapper json = RunClient.json().copy().enable(SerializationFeature.INDENT_OUTPUT);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("options", Map.of("scenarios", options.scenarios(), "strategies", options.strategies(),
                "seeds", options.seeds(), "poolSize", options.poolSize(), "testSize", options.testSize(),
                "layersPerAgent", options.layers() == null ? "spec default" : options.layers(),
                "evaluators", options.evaluators(), "criticalPathLatencyMillis", options.pathLatencyMillis(),
                "sharedCache", options.sharedCache()));
        Map<String, TrapVerdicts> verdicts = TrapVerdicts.read(keptRuns, traps);
        report.put("summaries", summaries);
        report.put("trapVerdicts", verdicts);
        report.put("runs", runs);
        Files.writeString(options.out().resolve("results.json"), json.writeValueAsString(report));
        String markdown = markdown(options, summaries) + "\n" + TrapVerdicts.markdown(verdicts);
        Files.writeString(options.out().resolve("results.md"), markdown);
        BenchmarkCharts.write(summaries, options.out());
        System.out.println();
        System.out.println(markdown);
        System.out.println("Written to " + options.out().toAbsolutePath());
    }

    private static Path scenarioFile(Path root, Path extraDir, String scenario) {
        for (Path dir : extraDir == null ? List.of(root.resolve(SHIPPED_SCENARIOS))
                : List.of(extraDir, root.resolve(SHIPPED_SCENARIOS))) {
            for (String ext : List.of(".yaml", ".yml")) {
                if (Files.exists(dir.resolve(scenario + ext))) {
                    return dir.resolve(scenario + ext);
                }
            }
        }
        throw new IllegalArgumentException("no scenario file " + scenario + ".yaml"
                + (extraDir == null ? "" : " in " + extraDir + " nor") + " among the shipped scenarios");
    }

    /** The run spec of a scenario: NAME.json in the scenario folder given, else deploy/local/specs/NAME.json. */
    private static ObjectNode template(Path root, Options options, String scenario) throws Exception {
        Path spec = options.scenarioDir() != null && Files.exists(options.scenarioDir().resolve(scenario + ".json"))
                ? options.scenarioDir().resolve(scenario + ".json") : root.resolve("deploy/local/specs/" + scenario + ".json");
        ObjectNode template = (ObjectNode) RunClient.json().readTree(Files.readString(spec));
        ((ObjectNode) template.path("data")).put("poolSize", options.poolSize()).put("testSize", options.testSize());
        if (options.layers() != null) {
            ((ObjectNode) template.path("search")).put("layersPerAgent", options.layers())
                    .put("layersPerTurn", Math.min(options.layers(), template.path("search").path("layersPerTurn").asInt(3)));
        }
        return template;
    }

    private static Run run(LocalStack stack, RunClient client, ObjectNode withData, String scenario, String strategy,
                           long seed, ScenarioTraps traps) throws java.io.IOException {
        ObjectNode spec = withData.deepCopy();
        ObjectNode search = (ObjectNode) spec.path("search");
        search.put("seed", seed);
        // "maspo-guarded:doNoHarm=false+confidence=1" runs an ablation: the strategy with these search.guards.
        String[] variant = strategy.split(":", 2);
        search.put("strategy", variant[0]);
        if (variant.length > 1) {
            ObjectNode guards = search.putObject("guards");
            for (String setting : variant[1].split("\\+")) {
                String[] kv = setting.split("=", 2);
                guards.set(kv[0], RunClient.json().readTree(kv[1]));
            }
        }
        spec.put("name", scenario + " " + strategy + " seed " + seed);
        Instant start = Instant.now();
        String id = client.submit(spec);
        JsonNode run = client.awaitTerminal(id, Duration.ofMinutes(60), r -> { });
        double wall = Duration.between(start, Instant.now()).toMillis() / 1000.0;
        if (!"COMPLETED".equals(run.path("status").asText())) {
            throw new IllegalStateException("run " + id + " ended " + run.path("status") + ": "
                    + run.path("error").asText() + " (logs in " + stack.logDir() + ")");
        }
        client.keep(id, run, stack.logDir().resolve("runs"), scenario + "-" + strategy + "-seed" + seed);
        Map<String, Long> calls = new TreeMap<>();
        run.path("cost").forEach(cost -> calls.put(cost.path("role").asText(), cost.path("calls").asLong()));
        // A trap hurts through what its agent hands on: in the terminal agent's prompt it is none. The run's resolved
        // system names the terminal agent of a built-in topology too.
        String terminal = client.mas(id).path("terminal").asText();
        Map<String, String> prompts = new TreeMap<>();
        run.path("bestPrompts").properties().stream().filter(e -> !e.getKey().equals(terminal))
                .forEach(e -> prompts.put(e.getKey(), e.getValue().asText()));
        return new Run(scenario, strategy, seed, run.path("seedAccuracy").asDouble(),
                run.path("optimizedAccuracy").asDouble(), calls, wall, traps.foundIn(prompts),
                run.path("finishReason").asText());
    }

    /**
     * Reruns seed 1 of every scenario and strategy twice, the simulator answering at once and then after
     * {@code pathLatencyMillis}: the extra wall time divided by the latency estimates the number of LLM calls made one
     * after another. The evaluators are restarted before each rerun so that their answer cache is empty and their
     * JIT as cold in both reruns (a plain comparison with the first pass mixes in its warm-up: the first run of a
     * fresh stack took 59 s where the same run took 14 s later).
     */
    private static void measureCriticalPaths(LocalStack stack, RunClient client, Options options,
                                             Map<String, ObjectNode> templates, Map<String, ScenarioTraps> traps,
                                             List<String> scenarioFlags, String simulator,
                                             Map<String, Double> criticalPaths) throws java.io.IOException {
        Map<String, Double> fast = new TreeMap<>();
        for (long latency : List.of(0L, options.pathLatencyMillis())) {
            List<String> flags = new ArrayList<>(scenarioFlags);
            flags.addAll(List.of("--latency-ms", Long.toString(latency)));
            stack.restartSimulator(flags);
            for (String scenario : options.scenarios()) {
                ObjectNode withData = client.withSimulatorData(templates.get(scenario), simulator);
                for (String strategy : options.strategies()) {
                    stack.forgetLlmAnswers();
                    String key = scenario + "/" + strategy;
                    double wall = run(stack, client, withData, scenario, strategy, 1, traps.get(scenario)).wallSeconds();
                    if (latency == 0) {
                        fast.put(key, wall);
                    } else {
                        criticalPaths.put(key, (wall - fast.get(key)) * 1000 / latency);
                        System.out.printf(Locale.ROOT, "critical path %s: %.0f calls (%.1f s at 0 ms, %.1f s at %d ms)%n",
                                key, criticalPaths.get(key), fast.get(key), wall, latency);
                    }
                }
            }
        }
    }

    static List<Summary> summarise(Options options, List<Run> runs, Map<String, Double> criticalPaths) {
        List<Summary> summaries = new ArrayList<>();
        for (String scenario : options.scenarios()) {
            Map<Long, Double> reference = new TreeMap<>();
            runs.stream().filter(r -> r.scenario().equals(scenario) && r.strategy().equals(REFERENCE))
                    .forEach(r -> reference.put(r.seed(), r.optimizedAccuracy()));
            for (String strategy : options.strategies()) {
                List<Run> of = runs.stream().filter(r -> r.scenario().equals(scenario) && r.strategy().equals(strategy))
                        .toList();
                if (of.isEmpty()) {
                    continue;
                }
                // The seed prompts are the same for every seed, but the LLM requests carry the run's seed, so their
                // accuracy varies too: over seeds like the rest; a single run gets the interval of its test items.
                Interval seed = of.size() > 1 ? Interval.ofMean(of.stream().map(Run::seedAccuracy).toList())
                        : Interval.ofProportion((int) Math.round(of.getFirst().seedAccuracy() * options.testSize()),
                        options.testSize());
                Interval optimized = Interval.ofMean(of.stream().map(Run::optimizedAccuracy).toList());
                Interval difference = reference.isEmpty() ? null : Interval.ofMean(of.stream()
                        .filter(r -> reference.containsKey(r.seed()))
                        .map(r -> r.optimizedAccuracy() - reference.get(r.seed())).toList());
                Map<String, Double> calls = new TreeMap<>();
                of.forEach(r -> r.calls().forEach((role, n) -> calls.merge(role, (double) n / of.size(), Double::sum)));
                summaries.add(new Summary(scenario, strategy, of.size(), seed, optimized, difference,
                        (int) of.stream().filter(r -> !r.trapsInFinal().isEmpty()).count(), calls,
                        criticalPaths.get(scenario + "/" + strategy),
                        of.stream().mapToDouble(Run::wallSeconds).average().orElse(Double.NaN)));
            }
        }
        return summaries;
    }

    static String markdown(Options options, List<Summary> summaries) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "Strategy benchmark: %d seeds, pool %d, test %d items%s, %d evaluator(s). Accuracy: mean over seeds "
                        + "[95%% t interval over seeds]; "
                        + "Δ local-only: paired per-seed difference to %s [95%% t interval]; traps: runs whose final "
                        + "prompts hold a known trap; calls: paid LLM calls per run (mean); critical path: sequential "
                        + "LLM calls of seed 1 (estimated at %d ms).%n%n",
                options.seeds(), options.poolSize(), options.testSize(),
                options.layers() == null ? "" : ", D = " + options.layers(), options.evaluators(), REFERENCE,
                options.pathLatencyMillis()));
        out.append("| scenario | strategy | seed prompts | optimized | Δ local-only | traps | agent calls | optimizer calls "
                + "| judge calls | critical path | wall s |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Summary s : summaries) {
            out.append(String.format(Locale.ROOT, "| %s | `%s` | %s | %s | %s | %d/%d | %.0f | %.0f | %.0f | %s | %.1f |%n",
                    s.scenario(), s.strategy(), interval(s.seedAccuracy(), false), interval(s.optimizedAccuracy(), false),
                    s.differenceToLocalOnly() == null || s.strategy().equals(REFERENCE) ? "—"
                            : interval(s.differenceToLocalOnly(), true),
                    s.trapRuns(), s.seeds(), s.meanCalls().getOrDefault("AGENT", 0.0),
                    s.meanCalls().getOrDefault("OPTIMIZER", 0.0), s.meanCalls().getOrDefault("JUDGE", 0.0),
                    s.criticalPath() == null ? "—" : String.format(Locale.ROOT, "%.0f", s.criticalPath()),
                    s.meanWallSeconds()));
        }
        return out.toString();
    }

    private static String interval(Interval i, boolean signed) {
        String mean = String.format(Locale.ROOT, signed ? "%+.3f" : "%.3f", i.mean());
        return Double.isNaN(i.low()) ? mean
                : String.format(Locale.ROOT, signed ? "%s [%+.3f, %+.3f]" : "%s [%.3f, %.3f]", mean, i.low(), i.high());
    }

    private static String format(Run r) {
        return String.format(Locale.ROOT, "%s %s seed %d: %.3f -> %.3f, calls %s, traps in final %s, %.1f s",
                r.scenario(), r.strategy(), r.seed(), r.seedAccuracy(), r.optimizedAccuracy(), r.calls(),
                r.trapsInFinal(), r.wallSeconds());
    }

    private StrategyBenchmark() {
    }
}
