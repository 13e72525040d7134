package ai.maspo.orchestrator.usage;

import ai.maspo.protocol.Usage;
import ai.maspo.protocol.TransientFailures;
import ai.maspo.protocol.UsageReport;
import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.faulttolerance.api.RetryWhen;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.hibernate.Session;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The append-only LLM spend ledger ({@code llm_usage}): what the evaluators report they paid, summed per run and
 * role for the run view and the budget check (priced by {@link ai.maspo.orchestrator.service.RunCosts}).
 */
@ApplicationScoped
public class UsageLedger {

    /**
     * One statement for the whole batch. Rows of runs this orchestrator does not know are skipped (a stray or
     * forged report must not create cost), and a report already stored is skipped (Kafka redelivers).
     */
    private static final String INSERT = """
            INSERT INTO %1$s.llm_usage (report_id, role, run_id, request_id, calls, cached_calls, prompt_tokens,
                                   completion_tokens, millis, cached_prompt_tokens, busy_from, busy_until)
            SELECT u.* FROM unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::bigint[], ?::bigint[],
                                   ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[])
                   AS u(report_id, role, run_id, request_id, calls, cached_calls, prompt_tokens, completion_tokens,
                        millis, cached_prompt_tokens, busy_from, busy_until)
            WHERE EXISTS (SELECT 1 FROM %1$s.run r WHERE r.id = u.run_id)
            ON CONFLICT DO NOTHING""";

    /**
     * Sums per role, and the role's elapsed time: the union of the reports' attempt spans, merged in start order
     * (a span that starts after every earlier one ended opens a new busy interval), so parallel calls count once.
     */
    private static final String SUM = """
            WITH rows AS (
                SELECT * FROM %1$s.llm_usage WHERE run_id = ? AND received_at <= coalesce(?::timestamptz, 'infinity')),
            spans AS (
                SELECT role, busy_from, busy_until,
                       CASE WHEN busy_from <= max(busy_until) OVER (PARTITION BY role ORDER BY busy_from, busy_until
                                 ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) THEN 0 ELSE 1 END AS opens
                FROM rows WHERE busy_from > 0 AND busy_until >= busy_from),
            islands AS (
                SELECT role, busy_from, busy_until,
                       sum(opens) OVER (PARTITION BY role ORDER BY busy_from, busy_until ROWS UNBOUNDED PRECEDING) AS island
                FROM spans),
            elapsed AS (
                SELECT role, sum(length) AS millis
                FROM (SELECT role, max(busy_until) - min(busy_from) AS length FROM islands GROUP BY role, island) i
                GROUP BY role)
            SELECT r.role, sum(r.calls), sum(r.cached_calls), sum(r.prompt_tokens), sum(r.cached_prompt_tokens),
                   sum(r.completion_tokens), sum(r.millis), e.millis
            FROM rows r LEFT JOIN elapsed e ON e.role = r.role
            GROUP BY r.role, e.millis ORDER BY r.role""";

    private final String insertSql;
    private final String sumSql;

    /** Plain JDBC does not get Hibernate's default schema: the statements name it. */
    UsageLedger(@ConfigProperty(name = "quarkus.hibernate-orm.database.default-schema") String schema) {
        this.insertSql = INSERT.formatted(schema);
        this.sumSql = SUM.formatted(schema);
    }

    /**
     * Stores the reports; returns how many rows were new. A transient failure (the database unreachable) is retried
     * in place, each attempt in a transaction of its own, so a valid report is never dead-lettered for it.
     */
    @Retry(maxRetries = -1, delay = 200, maxDuration = 5, durationUnit = ChronoUnit.MINUTES)
    @ExponentialBackoff(maxDelay = 10, maxDelayUnit = ChronoUnit.SECONDS)
    @RetryWhen(exception = TransientFailures.class)
    public int record(List<UsageReport> reports) {
        List<String> reportIds = new ArrayList<>(), roles = new ArrayList<>(), runIds = new ArrayList<>(),
                requestIds = new ArrayList<>();
        List<Long> calls = new ArrayList<>(), cached = new ArrayList<>(), prompt = new ArrayList<>(),
                completion = new ArrayList<>(), millis = new ArrayList<>(), cachedPrompt = new ArrayList<>(),
                busyFrom = new ArrayList<>(), busyUntil = new ArrayList<>();
        for (UsageReport report : reports) {
            for (Usage u : report.usage()) {
                reportIds.add(report.reportId());
                roles.add(u.role().name());
                runIds.add(report.runId());
                requestIds.add(report.requestId());
                calls.add(u.calls());
                cached.add(u.cachedCalls());
                prompt.add(u.promptTokens());
                completion.add(u.completionTokens());
                millis.add(u.millis());
                cachedPrompt.add(u.cachedPromptTokens());
                busyFrom.add(u.busyFrom());
                busyUntil.add(u.busyUntil());
            }
        }
        if (reportIds.isEmpty()) {
            return 0;
        }
        return QuarkusTransaction.requiringNew().call(() -> session().doReturningWork(connection -> {
            try (PreparedStatement insert = connection.prepareStatement(insertSql)) {
                int i = 1;
                for (List<String> column : List.of(reportIds, roles, runIds, requestIds)) {
                    insert.setArray(i++, connection.createArrayOf("varchar", column.toArray()));
                }
                for (List<Long> column : List.of(calls, cached, prompt, completion, millis, cachedPrompt, busyFrom,
                        busyUntil)) {
                    insert.setArray(i++, connection.createArrayOf("bigint", column.toArray()));
                }
                return insert.executeUpdate();
            }
        }));
    }

    /** What one model role of a run used, summed from its reports; {@code elapsedMillis} null when no span was reported. */
    public record RoleUsage(String role, long calls, long cachedCalls, long promptTokens, long cachedPromptTokens,
                            long completionTokens, long millis, Long elapsedMillis) {
    }

    /** The run's usage per model role, summed from its reports. */
    @Transactional
    public List<RoleUsage> costOfRun(String runId) {
        return session().doReturningWork(connection -> sums(connection, runId, null));
    }

    /** The run's usage per model role as the ledger had it at {@code time}: the reports received by then. */
    @Transactional
    public List<RoleUsage> costOfRunUntil(String runId, Instant time) {
        return session().doReturningWork(connection -> sums(connection, runId, time));
    }

    private List<RoleUsage> sums(Connection connection, String runId, Instant until) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sumSql)) {
            select.setString(1, runId);
            select.setObject(2, until == null ? null : OffsetDateTime.ofInstant(until, ZoneOffset.UTC),
                    Types.TIMESTAMP_WITH_TIMEZONE);
            List<RoleUsage> costs = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    long elapsed = rows.getLong(8);
                    Long elapsedMillis = rows.wasNull() ? null : elapsed;
                    costs.add(new RoleUsage(rows.getString(1), rows.getLong(2), rows.getLong(3), rows.getLong(4),
                            rows.getLong(5), rows.getLong(6), rows.getLong(7), elapsedMillis));
                }
            }
            return costs;
        }
    }

    private static Session session() {
        return Panache.getEntityManager().unwrap(Session.class);
    }
}
