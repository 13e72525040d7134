package ai.maspo.infra.test;

import ai.maspo.infra.LocalPostgres;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * One PostgreSQL server per test JVM (embedded, or external when MASPO_DB_JDBC_URL is set), shared by
 * every test class that uses this resource and stopped by a JVM shutdown hook. Each service's Flyway
 * migrations create its own schema in it.
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {
    /** JVM-wide record of the running server (see KafkaTestResource#BOOTSTRAP_PROPERTY for why not a static field). */
    private static final String PREFIX = "maspo.test.postgres.";

    /** quarkus.datasource.jdbc.url / username / password of this JVM's test server, starting it on first use. */
    public static Map<String, String> datasourceConfig() {
        synchronized (System.getProperties()) {
            if (System.getProperty(PREFIX + "url") == null) {
                LocalPostgres server = LocalPostgres.start();
                Runtime.getRuntime().addShutdownHook(new Thread(server::close, "maspo-test-postgres-stop"));
                System.setProperty(PREFIX + "username", server.username());
                System.setProperty(PREFIX + "password", server.password());
                System.setProperty(PREFIX + "url", server.jdbcUrl());
            }
            return Map.of(
                    "quarkus.datasource.jdbc.url", System.getProperty(PREFIX + "url"),
                    "quarkus.datasource.username", System.getProperty(PREFIX + "username"),
                    "quarkus.datasource.password", System.getProperty(PREFIX + "password"));
        }
    }

    @Override
    public Map<String, String> start() {
        return datasourceConfig();
    }

    @Override
    public void stop() {
        // Shared for the whole JVM: see the class comment.
    }
}
