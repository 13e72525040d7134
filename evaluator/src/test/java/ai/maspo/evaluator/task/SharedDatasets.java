package ai.maspo.evaluator.task;

import ai.maspo.infra.ProjectLayout;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The rows of the benchmark files in {@code shared/datasets} (see {@link ProjectLayout#sharedDatasets()}). */
final class SharedDatasets {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SharedDatasets() {
    }

    static Path root() {
        return ProjectLayout.sharedDatasets();
    }

    static List<JsonNode> rows(String relativePath) {
        try {
            return Files.readAllLines(root().resolve(relativePath)).stream().filter(line -> !line.isBlank())
                    .map(SharedDatasets::parse).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
