package ai.maspo.infra;

import org.junit.jupiter.api.Test;

import java.sql.DriverManager;
import java.sql.ResultSet;

import static org.assertj.core.api.Assertions.assertThat;

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
}
