package ai.maspo.simulator.scenario;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads scenario files: the shipped ones (classpath {@code scenarios/}) and a user folder (*.yaml, *.yml, *.json). */
public final class ScenarioLoader {

    /** The scenarios shipped as classpath resources {@code scenarios/<name>.yaml}. */
    public static final List<String> SHIPPED = List.of("sequential-trap", "hierarchical-trap", "debate-trap",
            "aligned-control", "chain-middle-trap", "llm-aggregator-trap");

    // YAML is a superset of JSON, so one mapper reads both formats.
    private static final ObjectMapper MAPPER = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private ScenarioLoader() {
    }

    public static List<Scenario> shipped() {
        List<Scenario> scenarios = new ArrayList<>();
        for (String name : SHIPPED) {
            String resource = "scenarios/" + name + ".yaml";
            try (InputStream in = ScenarioLoader.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("missing classpath resource " + resource);
                }
                scenarios.add(parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), resource));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return scenarios;
    }

    /** All scenario files of a folder, sorted by file name. */
    public static List<Scenario> fromDirectory(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            List<Path> scenarioFiles = files.filter(p -> p.getFileName().toString().matches(".*\\.(ya?ml|json)"))
                    .sorted().toList();
            List<Scenario> scenarios = new ArrayList<>();
            for (Path file : scenarioFiles) {
                scenarios.add(parse(Files.readString(file), file.toString()));
            }
            return scenarios;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read scenario folder " + directory, e);
        }
    }

    public static Scenario parse(String text, String source) {
        try {
            return MAPPER.readValue(text, Scenario.class);
        } catch (JsonMappingException e) {
            // Name the offending field (e.g. agent.trust), not only Jackson's type-level message.
            String path = e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .reduce((a, b) -> a + "." + b).orElse("(root)");
            throw new IllegalArgumentException("invalid scenario " + source + " at " + path + ": " + e.getOriginalMessage(), e);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid scenario " + source + ": " + e.getMessage(), e);
        }
    }
}
