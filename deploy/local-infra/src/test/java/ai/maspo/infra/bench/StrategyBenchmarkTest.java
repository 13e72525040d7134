package ai.maspo.infra.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StrategyBenchmarkTest {

    @Test
    void intervalsOfAMeanAndOfAProportion() {
        // mean 0.8, s = 0.1, t(0.975, 4) = 2.776: half-width 2.776 * 0.1 / sqrt(5)
        Interval mean = Interval.ofMean(List.of(0.7, 0.8, 0.9, 0.75, 0.85));
        assertThat(mean.mean()).isCloseTo(0.8, within(1e-12));
        assertThat(mean.high() - mean.mean()).isCloseTo(2.7764 * Math.sqrt(0.00625) / Math.sqrt(5), within(1e-4));
        assertThat(Interval.ofMean(List.of(0.5)).low()).isNaN();
        // 120 of 200: Wilson 95 % is about [0.531, 0.665]
        Interval p = Interval.ofProportion(120, 200);
        assertThat(p.mean()).isEqualTo(0.6);
        assertThat(p.low()).isCloseTo(0.531, within(0.002));
        assertThat(p.high()).isCloseTo(0.665, within(0.002));
    }

    @Test
    void aScenarioFilesTrapsAreFoundInFinalPromptsWhateverTheCase(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("w.yaml");
        Files.writeString(file, """
                name: w
                skills:
                  - {id: long, kind: trap, phrases: ["Explain every step"]}
                  - {id: good, kind: gain, phrases: ["Double-check"]}
                  - {id: plain, phrases: ["Be brief"]}
                """);
        ScenarioTraps traps = ScenarioTraps.read(file);
        assertThat(traps.phrasesBySkill()).containsOnlyKeys("long");
        assertThat(traps.foundIn(Map.of("a", "Solve {question}. explain EVERY step.", "b", "Double-check {question}")))
                .containsExactly("a:long");
        assertThat(traps.foundIn(Map.of("a", "Solve {question}. Double-check. Be brief."))).isEmpty();
    }

    @Test
    void theShippedTrapScenariosMarkATrapAndTheControlNone() throws Exception {
        Path scenarios = Path.of("../../llm-simulator/src/main/resources/scenarios");
        assertThat(ScenarioTraps.read(scenarios.resolve("sequential-trap.yaml")).phrasesBySkill()).isNotEmpty();
        assertThat(ScenarioTraps.read(scenarios.resolve("aligned-control.yaml")).phrasesBySkill()).isEmpty();
    }

    @Test
    void summariesPairEachSeedWithTheLocalOnlyRunOfTheSameSeed() {
        StrategyBenchmark.Options options = new StrategyBenchmark.Options(List.of("s"), List.of("maspo-local-only", "x"),
                3, 50, 200, null, 1, null, 0, false, Path.of("out"));
        List<StrategyBenchmark.Run> runs = List.of(
                run("maspo-local-only", 1, 0.70, List.of("a:trap")), run("maspo-local-only", 2, 0.80, List.of()),
                run("maspo-local-only", 3, 0.60, List.of("a:trap")),
                run("x", 1, 0.75, List.of()), run("x", 2, 0.84, List.of()), run("x", 3, 0.66, List.of("a:trap")));
        List<StrategyBenchmark.Summary> summaries = StrategyBenchmark.summarise(options, runs, Map.of("s/x", 120.0));
        StrategyBenchmark.Summary x = summaries.get(1);
        // differences 0.05, 0.04, 0.06: mean 0.05, s = 0.01 — the seeds' spread (0.6 to 0.8) cancels out
        assertThat(x.differenceToLocalOnly().mean()).isCloseTo(0.05, within(1e-9));
        assertThat(x.differenceToLocalOnly().low()).isGreaterThan(0);
        assertThat(x.optimizedAccuracy().low()).isLessThan(0.66);
        assertThat(x.trapRuns()).isEqualTo(1);
        assertThat(summaries.get(0).trapRuns()).isEqualTo(2);
        assertThat(x.meanCalls()).containsEntry("JUDGE", 100.0);
        assertThat(x.criticalPath()).isEqualTo(120.0);
        assertThat(x.seedAccuracy().mean()).isCloseTo(0.6, within(1e-12));
        assertThat(x.seedAccuracy().low()).isCloseTo(0.6, within(1e-12)); // the same every seed here
        String table = StrategyBenchmark.markdown(options, summaries);
        assertThat(table).contains("| s | `x` | 0.600 [").contains("+0.050 [").contains("| 1/3 |");
    }

    private static StrategyBenchmark.Run run(String strategy, long seed, double accuracy, List<String> traps) {
        return new StrategyBenchmark.Run("s", strategy, seed, 0.6, accuracy, Map.of("JUDGE", 100L), 10, traps,
                "COMPLETED");
    }
}
