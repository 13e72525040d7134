package ai.maspo.infra.bench;

import ai.maspo.infra.RunClient;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * How the searches judged the known traps (benchmark only: it reads the test world's scenario files, as
 * {@link ScenarioTraps} does). Over the histories of the runs of one scenario and strategy, the scored candidates of
 * agents with a successor (those with a local vote) that add a trap's phrase to their parent's prompt, those that
 * remove one, and all the others: how many were scored and accepted, and their mean local, lookahead and global
 * rates. It shows why a trap ended in the final prompts: whether its downstream loss was in the votes the search saw,
 * and what outweighed it.
 *
 * <pre>MASPO_MAIN=ai.maspo.infra.bench.TrapVerdicts deploy/local/run.sh --no-build RUNS_DIR [--scenario-dir DIR]</pre>
 * (RUNS_DIR: a benchmark's kept runs, {@code target/local-run/<time>/runs}) prints the table the benchmark appends to
 * its results.md.
 */
public record TrapVerdicts(Map<Edit, Tally> byEdit) {

    public enum Edit {
        ADDS_TRAP("adds a trap"), REMOVES_TRAP("removes a trap"), OTHER("other edits");

        final String label;

        Edit(String label) {
            this.label = label;
        }
    }

    /** Sums over candidates; a rate a candidate lacks (no lookahead weight asked...) is left out of its mean. */
    public record Tally(int scored, int accepted, Mean local, Mean lookahead, Mean global) {

        static final Tally NONE = new Tally(0, 0, Mean.NONE, Mean.NONE, Mean.NONE);

        Tally plus(Tally o) {
            return new Tally(scored + o.scored, accepted + o.accepted, local.plus(o.local), lookahead.plus(o.lookahead),
                    global.plus(o.global));
        }
    }

    public record Mean(double sum, int n) {

        static final Mean NONE = new Mean(0, 0);

        static Mean of(JsonNode rate) {
            return rate.isNumber() ? new Mean(rate.asDouble(), 1) : NONE;
        }

        Mean plus(Mean o) {
            return new Mean(sum + o.sum, n + o.n);
        }

        String format() {
            return n == 0 ? "—" : String.format(Locale.ROOT, "%.2f", sum / n);
        }
    }

    /** The candidates of one run's history (GET /api/v1/runs/{id}/history), by what they do to a known trap. */
    public static TrapVerdicts of(JsonNode history, ScenarioTraps traps) {
        Map<String, String> prompts = new HashMap<>();
        for (JsonNode step : history) {
            step.path("beamBefore").forEach(n -> prompts.put(n.path("id").asText(), n.path("prompt").asText()));
            step.path("candidates").forEach(c -> prompts.put(c.path("id").asText(), c.path("prompt").asText()));
        }
        Map<Edit, Tally> byEdit = new EnumMap<>(Edit.class);
        for (JsonNode step : history) {
            if (!"layer".equals(step.path("type").asText())) {
                continue;
            }
            for (JsonNode c : step.path("candidates")) {
                JsonNode rates = c.path("rates");
                if (!rates.path("local").isNumber()) {
                    continue; // the terminal agent: a trap there hands nothing on
                }
                List<String> before = traps.foundIn(Map.of("", prompts.getOrDefault(c.path("parentId").asText(), "")));
                List<String> after = traps.foundIn(Map.of("", c.path("prompt").asText()));
                Edit edit = !before.containsAll(after) ? Edit.ADDS_TRAP
                        : !after.containsAll(before) ? Edit.REMOVES_TRAP : Edit.OTHER;
                Tally one = new Tally(1, c.path("accepted").asBoolean() ? 1 : 0, Mean.of(rates.path("local")),
                        Mean.of(rates.path("lookahead")), Mean.of(rates.path("global")));
                byEdit.merge(edit, one, Tally::plus);
            }
        }
        return new TrapVerdicts(byEdit);
    }

    TrapVerdicts plus(TrapVerdicts other) {
        Map<Edit, Tally> sum = new EnumMap<>(byEdit);
        other.byEdit.forEach((edit, tally) -> sum.merge(edit, tally, Tally::plus));
        return new TrapVerdicts(sum);
    }

    /**
     * The verdicts of every kept run in {@code runsDir} ({@code <scenario>-<strategy>-seed<N>-history.json}), by
     * "scenario / strategy"; a file of a scenario not in {@code traps} is skipped.
     */
    public static Map<String, TrapVerdicts> read(Path runsDir, Map<String, ScenarioTraps> traps) throws IOException {
        Map<String, TrapVerdicts> out = new TreeMap<>();
        List<String> scenarios = traps.keySet().stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
        try (Stream<Path> files = Files.list(runsDir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith("-history.json")).sorted().toList()) {
                String name = file.getFileName().toString();
                Optional<String> scenario = scenarios.stream().filter(s -> name.startsWith(s + "-")).findFirst();
                int seedAt = name.lastIndexOf("-seed");
                if (scenario.isEmpty() || seedAt <= scenario.get().length()) {
                    continue;
                }
                String strategy = name.substring(scenario.get().length() + 1, seedAt);
                TrapVerdicts run = of(RunClient.json().readTree(Files.readString(file)), traps.get(scenario.get()));
                out.merge(scenario.get() + " / " + strategy, run, TrapVerdicts::plus);
            }
        }
        return out;
    }

    public static String markdown(Map<String, TrapVerdicts> verdicts) {
        StringBuilder out = new StringBuilder("Candidates of agents with a successor, over all runs: scored, accepted, "
                + "mean rates (local, lookahead, global).\n\n"
                + "| scenario / strategy | edit | scored | accepted | local | lookahead | global |\n"
                + "|---|---|---|---|---|---|---|\n");
        verdicts.forEach((key, v) -> {
            for (Edit edit : Edit.values()) {
                Tally t = v.byEdit().getOrDefault(edit, Tally.NONE);
                out.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %s | %s | %s |%n", key, edit.label,
                        t.scored(), t.accepted(), t.local().format(), t.lookahead().format(), t.global().format()));
            }
        });
        return out.toString();
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1 && !(args.length == 3 && args[1].equals("--scenario-dir"))) {
            throw new IllegalArgumentException("usage: RUNS_DIR [--scenario-dir DIR]");
        }
        Path root = ai.maspo.infra.LocalStackOptions.defaults().projectRoot();
        List<Path> dirs = new ArrayList<>();
        if (args.length == 3) {
            dirs.add(Path.of(args[2]));
        }
        dirs.add(root.resolve(StrategyBenchmark.SHIPPED_SCENARIOS));
        Map<String, ScenarioTraps> traps = new HashMap<>();
        for (Path dir : dirs.reversed()) { // a scenario given in --scenario-dir replaces the shipped one
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).toList()) {
                    ScenarioTraps t = ScenarioTraps.read(f);
                    traps.put(t.scenario(), t);
                }
            }
        }
        System.out.print(markdown(read(Path.of(args[0]), traps)));
    }
}
