package ai.maspo.orchestrator.rest;

import ai.maspo.infra.test.PostgresTestResource;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real database outage for tests: the test JVM's PostgreSQL postmaster is frozen (SIGSTOP), so no new connection
 * is accepted (clients hang until their pool's acquisition timeout), and every open session is cut
 * ({@code pg_terminate_backend}), so pooled connections fail; then the postmaster is resumed. (Stopping and
 * restarting the embedded server is not possible here: pg_ctl and postgres refuse to start as root.)
 */
final class PostgresOutage implements AutoCloseable {

    private static final Pattern PORT = Pattern.compile("jdbc:postgresql://[^:/]+:(\\d+)/");

    private final long postmaster;
    private boolean down;

    private PostgresOutage(long postmaster) {
        this.postmaster = postmaster;
    }

    /** Freezes the server the tests' datasource points at and cuts its sessions. */
    static PostgresOutage begin() throws SQLException {
        Map<String, String> db = PostgresTestResource.datasourceConfig();
        String url = db.get("quarkus.datasource.jdbc.url");
        Matcher m = PORT.matcher(url);
        if (!m.find()) {
            throw new IllegalStateException("no port in " + url);
        }
        ProcessHandle server = ProcessHandle.allProcesses()
                .filter(p -> p.info().command().orElse("").endsWith("/bin/postgres"))
                .filter(p -> Arrays.asList(p.info().arguments().orElse(new String[0])).contains(m.group(1)))
                .findFirst().orElseThrow(() -> new IllegalStateException("no postgres server on port " + m.group(1)));
        PostgresOutage outage = new PostgresOutage(server.pid());
        // The session that cuts the others is opened first: once the postmaster is frozen none can be opened.
        try (Connection admin = DriverManager.getConnection(url, db.get("quarkus.datasource.username"),
                db.get("quarkus.datasource.password")); Statement s = admin.createStatement()) {
            signal("-STOP", server.pid());
            outage.down = true;
            s.execute("select pg_terminate_backend(pid) from pg_stat_activity"
                    + " where pid <> pg_backend_pid() and backend_type = 'client backend'");
        }
        return outage;
    }

    /** Resumes the server. */
    void end() {
        if (down) {
            signal("-CONT", postmaster);
            down = false;
        }
    }

    @Override
    public void close() {
        end();
    }

    private static void signal(String signal, long pid) {
        try {
            Process p = new ProcessBuilder("kill", signal, String.valueOf(pid)).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("kill " + signal + " " + pid + " failed: " + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run kill", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
