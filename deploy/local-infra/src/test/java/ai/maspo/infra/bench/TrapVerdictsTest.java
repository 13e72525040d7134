package ai.maspo.infra.bench;

import static org.assertj.core.api.Assertions.assertThat;

import ai.maspo.infra.RunClient;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrapVerdictsTest {

    private static final ScenarioTraps TRAPS = new ScenarioTraps("w", Map.of("long", List.of("Explain every step")));

    /**
     * Layer 1 of the predictor: one candidate adds the trap (accepted), one adds something else (refused); the
     * terminal agent's candidate (no local vote) adds the trap too; layer 2: a child of the trap node removes it.
     */
    private static final String HISTORY = """
            [
              {"type": "layer", "agent": "predictor", "layer": 1,
               "beamBefore": [{"id": "p/seed", "prompt": "Solve {question}"}],
               "candidates": [
                 {"id": "p/1/0", "parentId": "p/seed", "prompt": "Solve {question} explain every step.",
                  "rates": {"local": 0.9, "lookahead": 0.4, "global": 0.3}, "accepted": true},
                 {"id": "p/1/1", "parentId": "p/seed", "prompt": "Solve {question} Double-check.",
                  "rates": {"local": 0.6, "lookahead": 0.5, "global": 0.6}, "accepted": false}]},
              {"type": "layer", "agent": "reflector", "layer": 1,
               "beamBefore": [{"id": "r/seed", "prompt": "Check {question}"}],
               "candidates": [
                 {"id": "r/1/0", "parentId": "r/seed", "prompt": "Check {question} Explain every step.",
                  "rates": {"local": null, "lookahead": null, "global": 0.8}, "accepted": true}]},
              {"type": "refresh", "agent": "predictor",
               "candidates": [{"id": "p/r", "parentId": "p/seed", "prompt": "Solve {question} Explain every step.",
                  "rates": {"local": 0.5, "lookahead": 0.5, "global": 0.5}, "accepted": false}]},
              {"type": "layer", "agent": "predictor", "layer": 2,
               "beamBefore": [{"id": "p/1/0", "prompt": "Solve {question} explain every step."}],
               "candidates": [
                 {"id": "p/2/0", "parentId": "p/1/0", "prompt": "Solve {question}",
                  "rates": {"local": 0.2, "global": 0.7}, "accepted": false}]}
            ]
            """;

    @Test
    void candidatesOfAgentsWithASuccessorAreSortedByWhatTheyDoToATrap() throws Exception {
        TrapVerdicts v = TrapVerdicts.of(RunClient.json().readTree(HISTORY), TRAPS);

        TrapVerdicts.Tally adds = v.byEdit().get(TrapVerdicts.Edit.ADDS_TRAP);
        assertThat(adds.scored()).as("the terminal agent's and the refresh's are not counted").isEqualTo(1);
        assertThat(adds.accepted()).isEqualTo(1);
        assertThat(adds.local().format()).isEqualTo("0.90");
        assertThat(adds.global().format()).isEqualTo("0.30");
        TrapVerdicts.Tally removes = v.byEdit().get(TrapVerdicts.Edit.REMOVES_TRAP);
        assertThat(removes.scored()).isEqualTo(1);
        assertThat(removes.accepted()).isZero();
        assertThat(removes.lookahead().format()).as("no lookahead rate given").isEqualTo("—");
        assertThat(v.byEdit().get(TrapVerdicts.Edit.OTHER).scored()).isEqualTo(1);
    }

    @Test
    void keptRunsAreGroupedByScenarioAndStrategyFromTheirFileNames(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("w-maspo-seed1-history.json"), HISTORY);
        Files.writeString(dir.resolve("w-maspo-seed2-history.json"), HISTORY);
        Files.writeString(dir.resolve("w-maspo-guarded:doNoHarm=false-seed1-history.json"), HISTORY);
        Files.writeString(dir.resolve("w-maspo-seed1.json"), "{}");
        Files.writeString(dir.resolve("other-maspo-seed1-history.json"), HISTORY);

        Map<String, TrapVerdicts> read = TrapVerdicts.read(dir, Map.of("w", TRAPS));

        assertThat(read).containsOnlyKeys("w / maspo", "w / maspo-guarded:doNoHarm=false");
        assertThat(read.get("w / maspo").byEdit().get(TrapVerdicts.Edit.ADDS_TRAP).scored()).isEqualTo(2);
        assertThat(TrapVerdicts.markdown(read)).contains("| w / maspo | adds a trap | 2 | 2 | 0.90 | 0.40 | 0.30 |");
    }

    @Test
    void aScoredCandidateWithoutRatesIsNoEdit() throws Exception {
        JsonNode history = RunClient.json().readTree("""
                [{"type": "layer", "candidates": [{"id": "c", "parentId": "x", "prompt": "p", "failed": true}]}]""");
        assertThat(TrapVerdicts.of(history, TRAPS).byEdit()).isEmpty();
    }
}
