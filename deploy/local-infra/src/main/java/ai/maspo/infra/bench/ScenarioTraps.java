package ai.maspo.infra.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The known traps of a simulator scenario, for the benchmark only (a test instrument reading the test world; product
 * code never does): the skills the scenario file marks {@code kind: trap} (a local gain with a downstream loss), and
 * whether one of their trigger phrases ended in a set of final prompts (case-insensitive substring, as the simulator
 * matches them).
 */
public record ScenarioTraps(String scenario, Map<String, List<String>> phrasesBySkill) {

    public static ScenarioTraps read(Path scenarioFile) throws IOException {
        JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(scenarioFile));
        Map<String, List<String>> traps = new java.util.TreeMap<>();
        for (JsonNode skill : root.path("skills")) {
            if ("trap".equals(skill.path("kind").asText())) {
                List<String> phrases = new ArrayList<>();
                skill.path("phrases").forEach(p -> phrases.add(p.asText()));
                traps.put(skill.path("id").asText(), List.copyOf(phrases));
            }
        }
        return new ScenarioTraps(root.path("name").asText(), traps);
    }

    /** "agent:skill" for every trap whose phrase is in that agent's prompt, in the order of the prompts given. */
    public List<String> foundIn(Map<String, String> promptsByAgent) {
        List<String> found = new ArrayList<>();
        promptsByAgent.forEach((agent, prompt) -> phrasesBySkill.forEach((skill, phrases) -> {
            String text = prompt.toLowerCase(Locale.ROOT);
            if (phrases.stream().anyMatch(p -> text.contains(p.toLowerCase(Locale.ROOT)))) {
                found.add(agent + ":" + skill);
            }
        }));
        return found;
    }
}
