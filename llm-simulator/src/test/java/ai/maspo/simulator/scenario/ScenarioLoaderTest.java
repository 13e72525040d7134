package ai.maspo.simulator.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScenarioLoaderTest {

    private static final String JSON_SCENARIO = """
            {"name": "tiny", "seed": 1,
             "items": {"kind": "choice", "train": 5, "test": 3, "minDifficulty": 2, "maxDifficulty": 2, "seed": 9},
             "agent": {"ability": 1, "difficultyWeight": 0.5, "baseSteps": 2, "contextBudget": 4, "trust": 1, "mislead": 1},
             "compression": {"keepSteps": 3, "dropPerExtraStep": 0.5},
             "judge": {"accuracy": 0.9, "correctnessWeight": 1, "detailWeight": 0, "detailCap": 5, "formatWeight": 0,
                       "positionBias": 0},
             "proposal": {"symptomGain": 1, "removeWeight": 0.1, "malformedRate": 0},
             "skills": [{"id": "s", "phrases": ["Be careful"], "accuracyWithoutContext": 0.5, "accuracyWithContext": 0.5,
                         "steps": 0, "critique": 0, "focus": false, "answerFormat": false, "obviousness": 1,
                         "proposedFor": ["wrong_answer"], "removedFor": []}]}
            """;

    @Test
    void loadsJsonAndYamlFilesFromAFolder(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("tiny.json"), JSON_SCENARIO);
        Files.writeString(dir.resolve("ignored.txt"), "not a scenario");
        List<Scenario> scenarios = ScenarioLoader.fromDirectory(dir);
        assertThat(scenarios).extracting(Scenario::name).containsExactly("tiny");
        assertThat(scenarios.get(0).skill("s").proposedFor()).containsExactly(Symptom.WRONG_ANSWER);
    }

    @Test
    void rejectsUnknownFieldsAndInvalidValuesWithTheSource() {
        assertThatThrownBy(() -> ScenarioLoader.parse(JSON_SCENARIO.replace("\"trust\"", "\"trusst\""), "bad.json"))
                .hasMessageContaining("bad.json").hasMessageContaining("agent.trust");
        assertThatThrownBy(() -> ScenarioLoader.parse(JSON_SCENARIO.replace("\"accuracy\": 0.9", "\"accuracy\": 1.5"), "x"))
                .hasMessageContaining("judge.accuracy");
    }

    @Test
    void itemsAreTaggedUniqueDeterministicAndAnswerable() {
        for (Scenario scenario : ScenarioLoader.shipped()) {
            List<Item> items = ItemGenerator.generate(scenario.items());
            assertThat(items).hasSize(scenario.items().train() + scenario.items().test());
            assertThat(items).isEqualTo(ItemGenerator.generate(scenario.items()));
            assertThat(items.stream().map(Item::id).distinct()).hasSameSizeAs(items);
            for (Item item : items) {
                assertThat(item.question()).startsWith(item.tag() + " ");
                assertThat(item.kind().isValidAnswer(item.answer())).isTrue();
                String expression = item.question().replaceAll("^#q\\d+ (Compute |Which value equals )", "")
                        .replaceAll("[.?].*$", "");
                int value = evaluate(expression);
                if (item.kind() == ItemKind.ARITHMETIC) {
                    assertThat(item.answer()).isEqualTo(Integer.toString(value));
                } else {
                    assertThat(item.question()).contains(item.answer() + ") " + value + (item.answer().equals("E") ? "" : " "));
                    assertThat(new HashSet<>(List.of(item.question().split(" [A-E]\\) ")))).hasSize(6);
                }
            }
        }
    }

    private static int evaluate(String expression) {
        String[] tokens = expression.split(" ");
        int value = Integer.parseInt(tokens[0]);
        for (int i = 1; i < tokens.length; i += 2) {
            value += (tokens[i].equals("+") ? 1 : -1) * Integer.parseInt(tokens[i + 1]);
        }
        return value;
    }
}
