package ai.maspo.infra;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What a running local platform publishes in its state folder ({@value #FILE}, mode 0600: it holds the admin key) for
 * the CLI and {@code platform.sh status}: its process, the orchestrator's URL (a new port at every start), the admin
 * API key, the simulator's URL and the current log folder. Written once the stack is ready, deleted when it stopped.
 */
public record PlatformState(long pid, String orchestratorUrl, String adminApiKey, String simulatorUrl, String logDir,
                            String startedAt) {
    public static final String FILE = "platform.json";
    /** Environment variable naming the state folder; default {@code ~/.maspo/local}. */
    public static final String DIR_ENV = "MASPO_PLATFORM_DIR";

    public static Path defaultDir() {
        return defaultDir(System.getenv());
    }

    /** {@value #DIR_ENV} of {@code env}, else {@code ~/.maspo/local}. */
    public static Path defaultDir(Map<String, String> env) {
        String configured = env.get(DIR_ENV);
        return configured == null || configured.isBlank()
                ? Path.of(System.getProperty("user.home"), ".maspo", "local")
                : Path.of(configured).toAbsolutePath();
    }

    /** The state of a platform that published one in {@code dir} and whose process is still alive. */
    public static Optional<PlatformState> readLive(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            PlatformState state = RunClient.json().treeToValue(RunClient.json().readTree(file.toFile()), PlatformState.class);
            return ProcessHandle.of(state.pid()).filter(ProcessHandle::isAlive).map(p -> state);
        } catch (IOException e) {
            return Optional.empty(); // being written or removed right now
        }
    }

    public void write(Path dir) {
        JsonNode json = RunClient.json().valueToTree(this);
        ProjectLayout.writePrivate(dir.resolve(FILE), json.toPrettyString());
    }

    public static void delete(Path dir) {
        try {
            Files.deleteIfExists(dir.resolve(FILE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
