package ai.maspo.infra;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalPostgresTest {

    private static LocalPostgres postgres;

    @BeforeAll
    static void start() {
        postgres = LocalPostgres.start();
    }

    @AfterAll
    static void stop() {
        postgres.close();
    }

    @Test
    void embeddedServerAnswersQueriesAndStopsOnClose() throws Exception {
        ProcessHandle server;
        try (LocalPostgres own = LocalPostgres.start()) {
            assertThat(own.isEmbedded()).isTrue();
            server = own.serverProcess().orElseThrow();
            assertThat(server.isAlive()).isTrue();
            assertThat(server.info().command().orElse("")).endsWith("/bin/postgres");
            try (Connection connection = connect(own);
                 ResultSet rs = connection.createStatement().executeQuery("select 1, version()")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(1);
                assertThat(rs.getString(2)).startsWith("PostgreSQL 17");
            }
        }
        assertThat(server.isAlive()).isFalse();
    }

    /** The long-running platform's server: its cluster and passwords outlive close(), and the next start finds the data. */
    @Test
    void aPersistentServerKeepsItsDataAcrossCloseAndStart(@TempDir Path dir) throws Exception {
        String password;
        try (LocalPostgres first = LocalPostgres.startPersistent(dir, dir.resolve("postgres.log"))) {
            password = first.password();
            try (Connection connection = connect(first)) {
                connection.createStatement().execute("create table kept (v text)");
                connection.createStatement().execute("insert into kept values ('survives')");
            }
        }
        assertThat(dir.resolve("data/PG_VERSION")).exists();
        assertThat(Files.getPosixFilePermissions(dir.resolve("passwords.properties")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        try (LocalPostgres again = LocalPostgres.startPersistent(dir, dir.resolve("postgres.log"));
             Connection connection = connect(again);
             ResultSet rs = connection.createStatement().executeQuery("select v from kept")) {
            assertThat(again.password()).isEqualTo(password);
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("survives");
        }
    }

    @Test
    void listensOnLoopbackTcpOnlyWithoutAUnixSocket() throws Exception {
        int port = port();
        assertThat(postgres.jdbcUrl()).startsWith("jdbc:postgresql://127.0.0.1:");
        assertThat(Path.of("/tmp/.s.PGSQL." + port)).doesNotExist();
        assertThat(Path.of("/var/run/postgresql/.s.PGSQL." + port)).doesNotExist();
        // the server's own command line names its data folder (superuser-only settings are closed to the services)
        String[] arguments = postgres.serverProcess().orElseThrow().info().arguments().orElseThrow();
        Path dataDir = Path.of(arguments[java.util.Arrays.asList(arguments).indexOf("-D") + 1]);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir))).isEqualTo("rwx------");
        try (var entries = Files.list(dataDir)) {
            assertThat(entries.map(p -> p.getFileName().toString())).noneMatch(name -> name.startsWith(".s.PGSQL"));
        }
        assertThat(String.join(" ", arguments)).contains("unix_socket_directories=").contains("listen_addresses=127.0.0.1");
    }

    @Test
    void aWrongPasswordIsRefused() {
        assertThatThrownBy(() -> DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password() + "x"))
                .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
        assertThatThrownBy(() -> DriverManager.getConnection(postgres.jdbcUrl(), "postgres", ""))
                .isInstanceOf(SQLException.class);
        assertThatThrownBy(() -> DriverManager.getConnection(postgres.jdbcUrl(), "postgres", postgres.password()))
                .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
    }

    @Test
    void theServicesRoleIsNoSuperuserYetCanCreateItsSchemas() throws Exception {
        assertThat(postgres.username()).isEqualTo(LocalPostgres.SERVICE_ROLE).isNotEqualTo("postgres");
        try (Connection connection = connect(postgres)) {
            try (ResultSet rs = connection.createStatement().executeQuery(
                    "select rolsuper, rolcreaterole, rolcreatedb from pg_roles where rolname = current_user")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getBoolean(1)).isFalse();
                assertThat(rs.getBoolean(2)).isFalse();
                assertThat(rs.getBoolean(3)).isFalse();
            }
            assertThatThrownBy(() -> connection.createStatement().execute("COPY (select 1) TO PROGRAM 'touch /tmp/maspo-pwned'"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
            assertThat(Path.of("/tmp/maspo-pwned")).doesNotExist();
            // what each service's Flyway does first
            connection.createStatement().execute("create schema probe_schema");
            connection.createStatement().execute("create table probe_schema.t (id int primary key)");
            connection.createStatement().execute("drop schema probe_schema cascade");
        }
    }

    private static Connection connect(LocalPostgres server) throws SQLException {
        return DriverManager.getConnection(server.jdbcUrl(), server.username(), server.password());
    }

    private static int port() {
        return URI.create(postgres.jdbcUrl().substring("jdbc:".length())).getPort();
    }

    /** kill -9 of the postmaster and its backends, then a restart: same port, same data (recovered from the WAL). */
    @Test
    void killedServerRestartsOnTheSamePortWithItsData() throws Exception {
        try (LocalPostgres postgres = LocalPostgres.start()) {
            try (var connection = DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password())) {
                connection.createStatement().execute("create table survivor (id int primary key); insert into survivor values (42)");
            }
            ProcessHandle before = postgres.serverProcess().orElseThrow();
            List<ProcessHandle> backends = before.descendants().toList();

            postgres.kill();

            assertThat(before.isAlive()).isFalse();
            assertThat(backends).noneSatisfy(p -> assertThat(p.isAlive()).isTrue());
            assertThatThrownBy(() -> DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password()))
                    .isInstanceOf(SQLException.class);

            postgres.restart();

            assertThat(postgres.serverProcess().orElseThrow().pid()).isNotEqualTo(before.pid());
            try (var connection = DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password());
                 ResultSet rs = connection.createStatement().executeQuery("select id from survivor")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(42);
            }
        }
    }
}
