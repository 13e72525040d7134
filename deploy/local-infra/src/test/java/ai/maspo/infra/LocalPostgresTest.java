package ai.maspo.infra;

import org.junit.jupiter.api.Test;

import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalPostgresTest {

    @Test
    void embeddedServerAnswersQueriesAndStopsOnClose() throws Exception {
        ProcessHandle server;
        try (LocalPostgres postgres = LocalPostgres.start()) {
            assertThat(postgres.isEmbedded()).isTrue();
            server = postgres.serverProcess().orElseThrow();
            assertThat(server.isAlive()).isTrue();
            assertThat(server.info().command().orElse("")).endsWith("/bin/postgres");
            try (var connection = DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password());
                 ResultSet rs = connection.createStatement().executeQuery("select 1, version()")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(1);
                assertThat(rs.getString(2)).startsWith("PostgreSQL 17");
            }
        }
        assertThat(server.isAlive()).isFalse();
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
