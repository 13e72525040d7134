package ai.maspo.orchestrator.persistence;

import io.quarkus.hibernate.orm.panache.Panache;
import org.eclipse.microprofile.config.ConfigProvider;
import org.hibernate.Session;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The append-only {@code job_reply} table (see V4): answers are stored a batch at a time, each once, and only when
 * they answer a pending dispatch of an active run; readers get the bodies of one command or one kind of job.
 * Plain SQL on the session's connection, so it joins the caller's transaction.
 */
public final class JobReplies {

    /** An answer as it arrived: {@code body} is the reply (succeeded) or the error (failed). */
    public record Incoming(String requestId, String runId, boolean succeeded, String body) {
    }

    /** An answer that was stored now: it answered a pending dispatch of an active run, and was not stored before. */
    public record Accepted(String requestId, String runId, String commandId, String kind, boolean succeeded,
                           String body) {
    }

    /** The schema Hibernate and Flyway use (plain SQL does not get it from the entity mappings). */
    private static final String SCHEMA = ConfigProvider.getConfig()
            .getValue("quarkus.hibernate-orm.database.default-schema", String.class);

    private static final String INSERT = """
            INSERT INTO {schema}.job_reply (request_id, run_id, command_id, kind, status, body)
            SELECT d.request_id, d.run_id, d.command_id, d.kind, u.status, u.body
            FROM unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::text[]) AS u(request_id, run_id, status, body)
            JOIN {schema}.dispatch d ON d.request_id = u.request_id AND d.run_id = u.run_id AND d.status = 'PENDING'
            JOIN {schema}.run r ON r.id = d.run_id AND r.status IN ('PENDING', 'RUNNING')
            ON CONFLICT (request_id) DO NOTHING
            RETURNING request_id, run_id, command_id, kind, status, body""".replace("{schema}", SCHEMA);

    private static final String CLOSE = """
            UPDATE {schema}.dispatch SET status = u.status, error = u.error, completed_at = now()
            FROM unnest(?::varchar[], ?::varchar[], ?::text[]) AS u(request_id, status, error)
            WHERE dispatch.request_id = u.request_id""".replace("{schema}", SCHEMA);

    private JobReplies() {
    }

    /** Stores the answers in one statement; returns those stored now, in the order given (repeats are dropped). */
    public static List<Accepted> store(List<Incoming> answers) {
        if (answers.isEmpty()) {
            return List.of();
        }
        return work(c -> {
            try (PreparedStatement insert = c.prepareStatement(INSERT)) {
                insert.setArray(1, array(c, "varchar", answers.stream().map(Incoming::requestId)));
                insert.setArray(2, array(c, "varchar", answers.stream().map(Incoming::runId)));
                insert.setArray(3, array(c, "varchar", answers.stream().map(a -> status(a.succeeded()))));
                insert.setArray(4, array(c, "text", answers.stream().map(Incoming::body)));
                List<Accepted> stored = new ArrayList<>();
                try (ResultSet rs = insert.executeQuery()) {
                    while (rs.next()) {
                        stored.add(new Accepted(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                "SUCCEEDED".equals(rs.getString(5)), rs.getString(6)));
                    }
                }
                // RETURNING gives no order; keep the arrival order, which the run's handling follows.
                List<String> order = answers.stream().map(Incoming::requestId).toList();
                stored.sort(java.util.Comparator.comparingInt(a -> order.indexOf(a.requestId())));
                return stored;
            }
        });
    }

    /** Sets the final status of answered dispatches in one statement ({@code errors} may hold nulls). */
    public static void closeDispatches(List<String> requestIds, List<DispatchEntity.Status> statuses,
                                       List<String> errors) {
        if (requestIds.isEmpty()) {
            return;
        }
        work(c -> {
            try (PreparedStatement update = c.prepareStatement(CLOSE)) {
                update.setArray(1, array(c, "varchar", requestIds.stream()));
                update.setArray(2, array(c, "varchar", statuses.stream().map(Enum::name)));
                update.setArray(3, array(c, "text", errors.stream()));
                return update.executeUpdate();
            }
        });
    }

    /** The replies of a command's succeeded jobs, in the order the jobs were dispatched. */
    public static List<String> ofCommand(String runId, String commandId) {
        return bodies("""
                SELECT j.body FROM {schema}.job_reply j JOIN {schema}.dispatch d ON d.request_id = j.request_id
                WHERE j.run_id = ? AND j.command_id = ? AND j.status = 'SUCCEEDED' ORDER BY d.seq""", runId, commandId);
    }

    /** The replies of a run's succeeded jobs of one kind, in the order the jobs were dispatched. */
    public static List<String> ofKind(String runId, String kind) {
        return bodies("""
                SELECT j.body FROM {schema}.job_reply j JOIN {schema}.dispatch d ON d.request_id = j.request_id
                WHERE j.run_id = ? AND j.kind = ? AND j.status = 'SUCCEEDED' ORDER BY d.seq""", runId, kind);
    }

    private static List<String> bodies(String sql, String runId, String key) {
        return work(c -> {
            try (PreparedStatement query = c.prepareStatement(sql.replace("{schema}", SCHEMA))) {
                query.setString(1, runId);
                query.setString(2, key);
                List<String> found = new ArrayList<>();
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        found.add(rs.getString(1));
                    }
                }
                return found;
            }
        });
    }

    private static String status(boolean succeeded) {
        return succeeded ? "SUCCEEDED" : "FAILED";
    }

    private static Array array(Connection c, String type, java.util.stream.Stream<String> values) throws SQLException {
        return c.createArrayOf(type, values.toArray(String[]::new));
    }

    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private static <T> T work(Work<T> work) {
        Session session = Panache.getEntityManager().unwrap(Session.class);
        session.flush(); // the statements below must see the entities this transaction changed
        return session.doReturningWork(work::run);
    }
}
