package ai.maspo.infra;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The PostgreSQL server of the local run and the tests: a real embedded server (zonky binaries,
 * PostgreSQL 17) on a free port in a fresh folder, or an external server when {@value #JDBC_URL}
 * is set as an environment variable or system property (then nothing is started). The services
 * create their own schemas with Flyway; this class only provides the server and the database.
 */
public final class LocalPostgres implements AutoCloseable {
    public static final String JDBC_URL = "MASPO_DB_JDBC_URL";
    public static final String USERNAME = "MASPO_DB_USERNAME";
    public static final String PASSWORD = "MASPO_DB_PASSWORD";

    private static final String EMBEDDED_USER = "postgres";

    /** zonky's own wait is fixed (10 s by default); it is scaled with the load like every start-up limit. */
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(30);

    private volatile EmbeddedPostgres embedded;
    private final Path dataDir;
    private final Path logFile;
    private final String jdbcUrl;
    private final String username;
    private final String password;

    private LocalPostgres(EmbeddedPostgres embedded, Path dataDir, Path logFile, String jdbcUrl, String username, String password) {
        this.embedded = embedded;
        this.dataDir = dataDir;
        this.logFile = logFile;
        this.jdbcUrl = jdbcUrl;
        this.username = username;
        this.password = password;
    }

    /** The external server if configured, else an embedded one logging through slf4j. */
    public static LocalPostgres start() {
        return start(null);
    }

    /** As {@link #start()}; the embedded server's output goes to {@code logFile} when it is not null. */
    public static LocalPostgres start(Path logFile) {
        Optional<String> external = setting(JDBC_URL);
        if (external.isPresent()) {
            return new LocalPostgres(null, null, null, external.get(),
                    setting(USERNAME).orElse(EMBEDDED_USER), setting(PASSWORD).orElse(""));
        }
        Path dataDir = null;
        try {
            dataDir = Files.createTempDirectory("maspo-postgres-");
            EmbeddedPostgres server = embeddedServer(dataDir, 0, logFile);
            return new LocalPostgres(server, dataDir, logFile, server.getJdbcUrl(EMBEDDED_USER, "postgres"), EMBEDDED_USER, EMBEDDED_USER);
        } catch (IOException e) {
            ProjectLayout.deleteRecursively(dataDir);
            throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
        }
    }

    /**
     * Starts the server on {@code dataDir} (initdb only when it holds no cluster yet) and {@code port} (0: a free one).
     * zonky never deletes the folder ({@link #close()} does), so a {@link #restart()} finds the data it had.
     */
    private static EmbeddedPostgres embeddedServer(Path dataDir, int port, Path logFile) throws IOException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setPGStartupWait(ReadinessDeadline.scaled(STARTUP_WAIT))
                .setServerConfig("max_connections", "200")
                // zonky turns it off; then a server killed with SIGKILL loses commits it had acknowledged (seen in
                // LocalPostgresTest), which no production database does and no service can be expected to survive.
                .setServerConfig("synchronous_commit", "on");
        if (logFile != null) {
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            builder.setOutputRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        }
        return builder.start();
    }

    /**
     * SIGKILL of the postmaster and all its backends, as a crash would (a surviving backend would keep the shared
     * memory and stop a new postmaster); the data folder and port stay for {@link #restart()}.
     */
    public synchronized void kill() {
        requireEmbedded();
        Optional<ProcessHandle> postmaster = serverProcess();
        postmaster.ifPresent(p -> {
            List<ProcessHandle> backends = p.descendants().toList();
            p.destroyForcibly();
            backends.forEach(ProcessHandle::destroyForcibly);
            awaitExitOrKill(p);
            backends.forEach(LocalPostgres::awaitExitOrKill);
        });
        try {
            // Releases zonky's lock on the data folder; its pg_ctl stop fails quietly on the dead server.
            embedded.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot release the embedded PostgreSQL", e);
        }
    }

    /** Starts the server again on the same port and data folder after {@link #kill()}; it recovers from its WAL. */
    public synchronized void restart() {
        requireEmbedded();
        try {
            embedded = embeddedServer(dataDir, embedded.getPort(), logFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restart embedded PostgreSQL", e);
        }
    }

    private void requireEmbedded() {
        if (embedded == null) {
            throw new IllegalStateException("PostgreSQL is external (" + JDBC_URL + "): not started here, so not killed here");
        }
    }

    private static void awaitExitOrKill(ProcessHandle server) {
        try {
            server.onExit().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.destroyForcibly();
        } catch (ExecutionException | TimeoutException e) {
            server.destroyForcibly();
        }
    }

    private static Optional<String> setting(String name) {
        String value = System.getProperty(name, System.getenv(name));
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    public boolean isEmbedded() {
        return embedded != null;
    }

    /**
     * The embedded server's postmaster, to check that nothing outlives {@link #close()}. zonky starts it
     * through pg_ctl, so it is not a child of this JVM: its pid comes from postmaster.pid in the data folder.
     */
    public Optional<ProcessHandle> serverProcess() {
        if (embedded == null) {
            return Optional.empty();
        }
        try {
            String pid = Files.readAllLines(dataDir.resolve("postmaster.pid")).getFirst().strip();
            return ProcessHandle.of(Long.parseLong(pid));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Stops the embedded server and deletes its data; an external server is left untouched. */
    @Override
    public synchronized void close() {
        if (embedded == null) {
            return;
        }
        Optional<ProcessHandle> server = serverProcess();
        try {
            embedded.close();
            // pg_ctl stop returns once postmaster.pid is gone, a moment before the process itself ends.
            server.ifPresent(LocalPostgres::awaitExitOrKill);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop embedded PostgreSQL", e);
        } finally {
            ProjectLayout.deleteRecursively(dataDir);
        }
    }
}
