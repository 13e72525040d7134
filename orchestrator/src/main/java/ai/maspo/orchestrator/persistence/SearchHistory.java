package ai.maspo.orchestrator.persistence;

import io.quarkus.hibernate.orm.panache.Panache;
import org.eclipse.microprofile.config.ConfigProvider;
import org.hibernate.Session;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The append-only {@code search_history} table (see V8): the entries of a run's search history as JSON, numbered
 * from 0 in the order the engine added them. Plain SQL on the session's connection, so it joins the caller's
 * transaction, the one that stores the state the entries led to.
 */
public final class SearchHistory {

    /**
     * A stored entry; {@code recordedAt} and {@code paidCalls} (the run's paid LLM calls in the usage ledger when it
     * was stored) are null for entries moved from a state of the previous format, which did not keep them.
     */
    public record Row(int seq, String entry, Instant recordedAt, Long paidCalls) {
    }

    private static final String SCHEMA = ConfigProvider.getConfig()
            .getValue("quarkus.hibernate-orm.database.default-schema", String.class);

    /** One statement for the entries of a transaction; an entry already stored under its number stays as it is. */
    private static final String INSERT = """
            INSERT INTO {schema}.search_history (run_id, seq, entry, recorded_at, paid_calls)
            SELECT ?, ? + u.ord - 1, u.entry, CASE WHEN ? THEN statement_timestamp() END,
                   CASE WHEN ? THEN (SELECT coalesce(sum(calls), 0) FROM {schema}.llm_usage WHERE run_id = ?) END
            FROM unnest(?::text[]) WITH ORDINALITY AS u(entry, ord)
            ON CONFLICT (run_id, seq) DO NOTHING""".replace("{schema}", SCHEMA);

    private static final String SELECT = """
            SELECT seq, entry, recorded_at, paid_calls FROM {schema}.search_history WHERE run_id = ? AND seq >= ?
            ORDER BY seq""".replace("{schema}", SCHEMA);

    private static final String SIZE = """
            SELECT coalesce(max(seq) + 1, 0) FROM {schema}.search_history WHERE run_id = ?"""
            .replace("{schema}", SCHEMA);

    private SearchHistory() {
    }

    /**
     * Stores {@code entries} as numbers {@code firstSeq}, {@code firstSeq + 1}...; {@code observed}: with the time
     * and the run's paid calls now (false for entries whose time is unknown).
     */
    public static void append(String runId, int firstSeq, List<String> entries, boolean observed) {
        if (entries.isEmpty()) {
            return;
        }
        session().doWork(c -> {
            try (PreparedStatement insert = c.prepareStatement(INSERT)) {
                insert.setString(1, runId);
                insert.setInt(2, firstSeq);
                insert.setBoolean(3, observed);
                insert.setBoolean(4, observed);
                insert.setString(5, runId);
                insert.setArray(6, c.createArrayOf("text", entries.toArray(String[]::new)));
                insert.executeUpdate();
            }
        });
    }

    /** The run's entries in order. */
    public static List<Row> of(String runId) {
        return from(runId, 0);
    }

    /** The run's entries numbered {@code firstSeq} or more, in order. */
    public static List<Row> from(String runId, int firstSeq) {
        return session().doReturningWork(c -> {
            try (PreparedStatement select = c.prepareStatement(SELECT)) {
                select.setString(1, runId);
                select.setInt(2, firstSeq);
                List<Row> rows = new ArrayList<>();
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        OffsetDateTime recordedAt = rs.getObject(3, OffsetDateTime.class);
                        rows.add(new Row(rs.getInt(1), rs.getString(2),
                                recordedAt == null ? null : recordedAt.toInstant(), rs.getObject(4, Long.class)));
                    }
                }
                return rows;
            }
        });
    }

    /** How many entries the run has (they are numbered without gaps from 0). */
    public static int size(String runId) {
        return session().doReturningWork(c -> {
            try (PreparedStatement select = c.prepareStatement(SIZE)) {
                select.setString(1, runId);
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }

    private static Session session() {
        Session session = Panache.getEntityManager().unwrap(Session.class);
        session.flush(); // the run row a new run's entries refer to may not be written yet
        return session;
    }
}
