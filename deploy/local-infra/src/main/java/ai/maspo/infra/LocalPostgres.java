package ai.maspo.infra;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The PostgreSQL server of the local run and the tests: a real embedded server (zonky binaries,
 * PostgreSQL 17) on a free port in a fresh folder, or an external server when {@value #JDBC_URL}
 * is set as an environment variable or system property (then nothing is started). The services
 * create their own schemas with Flyway; this class only provides the server and the database.
 *
 * <p>The embedded server listens on TCP 127.0.0.1 only, with no Unix socket, and accepts only
 * SCRAM password logins. The services get role {@value #SERVICE_ROLE} (not a superuser, owner of
 * database {@value #SERVICE_DATABASE}) with a random password; the superuser's password is random
 * too and never leaves this class, except for a persistent server ({@link #startPersistent}), whose restarts need both
 * passwords again: they are kept in a file of its folder readable by the owner only. The server runs as the OS user that starts it: zonky launches
 * initdb and postgres itself, with no way to prefix a user switch (see docs/operations.md).
 */
public final class LocalPostgres implements AutoCloseable {
    public static final String JDBC_URL = "MASPO_DB_JDBC_URL";
    public static final String USERNAME = "MASPO_DB_USERNAME";
    public static final String PASSWORD = "MASPO_DB_PASSWORD";

    /** initdb's superuser; its random password stays in this class, never handed to the services */
    private static final String EMBEDDED_SUPERUSER = "postgres";
    /** the services' role and database on the embedded server */
    public static final String SERVICE_ROLE = "maspo";
    public static final String SERVICE_DATABASE = "maspo";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** zonky's own wait is fixed (10 s by default); it is scaled with the load like every start-up limit. */
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(30);

    private volatile EmbeddedPostgres embedded;
    private final Path dataDir;
    /** a persistent server (the long-running platform): close() stops it but keeps its data folder */
    private final boolean keepData;
    private final Path logFile;
    /** kept for {@link #restart()}: zonky's readiness check connects as the superuser */
    private final String superuserPassword;
    private final String jdbcUrl;
    private final String username;
    private final String password;

    private LocalPostgres(EmbeddedPostgres embedded, Path dataDir, boolean keepData, Path logFile, String superuserPassword,
                          String jdbcUrl, String username, String password) {
        this.embedded = embedded;
        this.dataDir = dataDir;
        this.keepData = keepData;
        this.logFile = logFile;
        this.superuserPassword = superuserPassword;
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
            return new LocalPostgres(null, null, false, null, null, external.get(),
                    setting(USERNAME).orElse(SERVICE_ROLE), setting(PASSWORD).orElse(""));
        }
        Path dataDir = null;
        try {
            // createTempDirectory gives mode 0700: only the server's OS user can read the data
            dataDir = Files.createTempDirectory("maspo-postgres-");
            String superuserPassword = randomPassword();
            Path passwordFile = Files.createTempFile("maspo-postgres-pw-", ".txt");
            Files.writeString(passwordFile, superuserPassword + "\n");
            EmbeddedPostgres server;
            try {
                server = embeddedServer(dataDir, 0, logFile, superuserPassword, passwordFile);
            } finally {
                Files.deleteIfExists(passwordFile);
            }
            String servicePassword = randomPassword();
            try {
                createServiceRole(server.getJdbcUrl(EMBEDDED_SUPERUSER, "postgres"), superuserPassword, servicePassword);
            } catch (SQLException e) {
                server.close();
                throw new IOException("cannot create the " + SERVICE_ROLE + " role", e);
            }
            return new LocalPostgres(server, dataDir, false, logFile, superuserPassword, serviceUrl(server), SERVICE_ROLE, servicePassword);
        } catch (IOException e) {
            ProjectLayout.deleteRecursively(dataDir);
            throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
        }
    }

    /**
     * A server whose cluster lives in {@code dir/data} and survives {@link #close()}: the long-running local platform.
     * The first start runs initdb and creates the service role; later starts find the cluster and the two passwords,
     * which are kept in {@code dir/passwords.properties} (mode 0600) since a restarted server must accept them again.
     * An external server ({@value #JDBC_URL}) is used as given, as by {@link #start(Path)}.
     */
    public static LocalPostgres startPersistent(Path dir, Path logFile) {
        if (setting(JDBC_URL).isPresent()) {
            return start(logFile);
        }
        Path dataDir = dir.resolve("data");
        Path passwords = dir.resolve("passwords.properties");
        try {
            if (Files.isRegularFile(dataDir.resolve("PG_VERSION")) && Files.isRegularFile(passwords)) {
                Properties stored = ProjectLayout.readProperties(passwords);
                String superuserPassword = stored.getProperty("superuser");
                EmbeddedPostgres server = embeddedServer(dataDir, 0, logFile, superuserPassword, null);
                return new LocalPostgres(server, dataDir, true, logFile, superuserPassword, serviceUrl(server), SERVICE_ROLE,
                        stored.getProperty("service"));
            }
            // A folder without a complete first start (no cluster, or no passwords for it) is started afresh.
            ProjectLayout.deleteRecursively(dataDir);
            Files.createDirectories(dir);
            Files.createDirectory(dataDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            String superuserPassword = randomPassword();
            String servicePassword = randomPassword();
            Path passwordFile = Files.createTempFile("maspo-postgres-pw-", ".txt");
            Files.writeString(passwordFile, superuserPassword + "\n");
            EmbeddedPostgres server;
            try {
                server = embeddedServer(dataDir, 0, logFile, superuserPassword, passwordFile);
            } finally {
                Files.deleteIfExists(passwordFile);
            }
            try {
                createServiceRole(server.getJdbcUrl(EMBEDDED_SUPERUSER, "postgres"), superuserPassword, servicePassword);
            } catch (SQLException e) {
                server.close();
                throw new IOException("cannot create the " + SERVICE_ROLE + " role", e);
            }
            Properties stored = new Properties();
            stored.setProperty("superuser", superuserPassword);
            stored.setProperty("service", servicePassword);
            ProjectLayout.writePrivateProperties(passwords, stored);
            return new LocalPostgres(server, dataDir, true, logFile, superuserPassword, serviceUrl(server), SERVICE_ROLE, servicePassword);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL in " + dir, e);
        }
    }

    private static String serviceUrl(EmbeddedPostgres server) {
        return "jdbc:postgresql://127.0.0.1:" + server.getPort() + "/" + SERVICE_DATABASE;
    }

    /**
     * Starts the server on {@code dataDir} (initdb only when it holds no cluster yet; {@code passwordFile} is read by
     * initdb alone) and {@code port} (0: a free one). zonky never deletes the folder ({@link #close()} does), so a
     * {@link #restart()} finds the data it had.
     */
    private static EmbeddedPostgres embeddedServer(Path dataDir, int port, Path logFile, String superuserPassword,
                                                   Path passwordFile) throws IOException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setPGStartupWait(ReadinessDeadline.scaled(STARTUP_WAIT))
                .setServerConfig("max_connections", "200")
                // zonky turns it off; then a server killed with SIGKILL loses commits it had acknowledged (seen in
                // LocalPostgresTest), which no production database does and no service can be expected to survive.
                .setServerConfig("synchronous_commit", "on")
                // TCP on the loopback only, and no Unix socket: nothing in /tmp for other local users
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("unix_socket_directories", "")
                .setServerConfig("password_encryption", "scram-sha-256")
                // after initdb, before the first start: password authentication replaces initdb's "trust"
                .setDataDirectoryCustomizer(LocalPostgres::requirePasswords)
                // zonky's own readiness check connects as the superuser
                .setConnectConfig("password", superuserPassword);
        if (passwordFile != null) {
            // zonky's only hook into initdb's arguments (it adds "--key=value"): the superuser's password
            builder.setLocaleConfig("pwfile", passwordFile.toString());
        }
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
            embedded = embeddedServer(dataDir, embedded.getPort(), logFile, superuserPassword, null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restart embedded PostgreSQL", e);
        }
    }

    private void requireEmbedded() {
        if (embedded == null) {
            throw new IllegalStateException("PostgreSQL is external (" + JDBC_URL + "): not started here, so not killed here");
        }
    }

    /** Only password (SCRAM) connections over TCP from the loopback; no "local" lines since there is no socket. */
    private static void requirePasswords(File dataDir) {
        try {
            Files.writeString(dataDir.toPath().resolve("pg_hba.conf"), """
                    # written by LocalPostgres: password authentication only, loopback TCP only
                    host all all 127.0.0.1/32 scram-sha-256
                    """);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The role the services use: not a superuser, no CREATEDB/CREATEROLE; it owns database {@value #SERVICE_DATABASE},
     * so the services' Flyway can create their schemas there (and the public schema, owned by pg_database_owner).
     */
    private static void createServiceRole(String superuserUrl, String superuserPassword, String servicePassword) throws SQLException {
        try (Connection connection = DriverManager.getConnection(superuserUrl, EMBEDDED_SUPERUSER, superuserPassword);
             Statement statement = connection.createStatement()) {
            // the password is generated hex, so quoting it inline is safe; DDL takes no bind parameters
            statement.execute("CREATE ROLE " + SERVICE_ROLE + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '" + servicePassword + "'");
            statement.execute("CREATE DATABASE " + SERVICE_DATABASE + " OWNER " + SERVICE_ROLE);
        }
    }

    private static String randomPassword() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
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

    /** Stops the embedded server and deletes its data (a persistent one keeps it); an external server is left untouched. */
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
            if (!keepData) {
                ProjectLayout.deleteRecursively(dataDir);
            }
        }
    }
}
