package ai.maspo.infra;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;

/** Where the repository and its build outputs are, found from the working directory; plus small file and port helpers. */
public final class ProjectLayout {
    /** System property naming the folder with the Kafka broker jars (the parent pom's surefire config sets it). */
    public static final String KAFKA_LIB_PROPERTY = "maspo.kafka.lib";
    public static final String ROOT_PROPERTY = "maspo.root";
    private static final String KAFKA_LIB = "deploy/kafka-broker/target/lib";

    private ProjectLayout() {
    }

    /**
     * The repository root: system property {@value #ROOT_PROPERTY} if set (run.sh sets it), else the nearest
     * folder at or above the working directory holding deploy/kafka-broker/pom.xml.
     */
    public static Path findRoot() {
        String configured = System.getProperty(ROOT_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("deploy/kafka-broker/pom.xml"))) {
                return d;
            }
        }
        throw new IllegalStateException("cannot find the MASPO repository root (a folder with deploy/kafka-broker/pom.xml) at or above " + dir);
    }

    /** The broker classpath folder: {@value #KAFKA_LIB_PROPERTY} if set, else deploy/kafka-broker/target/lib under the root. */
    public static Path kafkaLibDir() {
        return configuredKafkaLib().orElseGet(() -> findRoot().resolve(KAFKA_LIB));
    }

    /** As {@link #kafkaLibDir()}, for a known repository root. */
    public static Path kafkaLibDir(Path root) {
        return configuredKafkaLib().orElseGet(() -> root.resolve(KAFKA_LIB));
    }

    private static java.util.Optional<Path> configuredKafkaLib() {
        String configured = System.getProperty(KAFKA_LIB_PROPERTY);
        return configured == null || configured.isBlank() ? java.util.Optional.empty() : java.util.Optional.of(Path.of(configured));
    }

    /** A TCP port free on 127.0.0.1 at the time of the call. */
    /**
     * The benchmark files in {@code shared/datasets}, found by walking up from the working directory: they sit
     * next to the repository and are never copied into it.
     */
    public static Path sharedDatasets() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("datasets");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("shared/datasets not found above " + Path.of("").toAbsolutePath());
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }

    /** Writes {@code file} readable by its owner only (mode 0600): it holds secrets. */
    public static void writePrivate(Path file, String content) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    public static void writePrivateProperties(Path file, Properties properties) {
        StringWriter text = new StringWriter();
        try {
            properties.store(text, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        writePrivate(file, text.toString());
    }

    public static Properties readProperties(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
            return properties;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Deletes a folder tree; missing is fine. */
    public static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
