package ai.maspo.infra;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a run's search spent its wall time, read from the orchestrator's own records: each awaited command is stored
 * (its outbox row), published (the broker acknowledged it) and answered (its last job's answer stored). Every instant
 * of the search is put in one class — a command in the hands of a worker ("worker": Kafka both ways, the
 * sampler or evaluator, the LLM calls), else one stored and not yet published ("outbox"), else none outstanding
 * ("orchestrator": ingesting answers and deciding the next step) — and the commands are counted per kind, so the
 * round trips on the critical path and the platform's share of each are visible.
 */
final class RoundTrips {

    record Breakdown(double searchSeconds, double workerSeconds, double outboxSeconds, double orchestratorSeconds,
                     Map<String, Integer> commandsByKind, int waves) {

        String describe() {
            return String.format(Locale.ROOT, "%.1f s search: %.1f s with a worker, %.1f s in the outbox, %.1f s in "
                            + "the orchestrator alone; %d waves of commands (one or more stored together) %s",
                    searchSeconds, workerSeconds, outboxSeconds, orchestratorSeconds, waves, commandsByKind);
        }
    }

    record Command(String kind, long stored, long published, long answered) {
    }

    private static final String COMMANDS = """
            SELECT d.kind, min(d.sent_at), max(d.published_at), max(r.received_at)
            FROM orchestrator.dispatch d LEFT JOIN orchestrator.job_reply r ON r.request_id = d.request_id
            WHERE d.run_id = ? AND d.awaits_reply AND d.command_id IS NOT NULL
            GROUP BY d.kind, d.command_id HAVING max(r.received_at) IS NOT NULL
            ORDER BY min(d.sent_at)""";

    private RoundTrips() {
    }

    static Breakdown of(LocalPostgres postgres, String runId) {
        try (Connection db = DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password());
             PreparedStatement query = db.prepareStatement(COMMANDS)) {
            query.setString(1, runId);
            List<Command> commands = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    long stored = millis(rows.getTimestamp(2));
                    long published = rows.getTimestamp(3) == null ? stored : millis(rows.getTimestamp(3));
                    commands.add(new Command(rows.getString(1), stored, Math.max(stored, published),
                            Math.max(published, millis(rows.getTimestamp(4)))));
                }
            }
            return breakdown(commands);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the round trips of run " + runId, e);
        }
    }

    /** @param commands in the order they were stored */
    static Breakdown breakdown(List<Command> commands) {
        if (commands.isEmpty()) {
            return new Breakdown(0, 0, 0, 0, Map.of(), 0);
        }
        long start = commands.stream().mapToLong(Command::stored).min().orElseThrow();
        long end = commands.stream().mapToLong(Command::answered).max().orElseThrow();
        // A sweep over the moments a command changes hands: +1/-1 on the worker and outbox counts.
        record Change(long at, int worker, int outbox) {
        }
        List<Change> changes = new ArrayList<>();
        for (Command c : commands) {
            changes.add(new Change(c.stored(), 0, 1));
            changes.add(new Change(c.published(), 1, -1));
            changes.add(new Change(c.answered(), -1, 0));
        }
        changes.sort(Comparator.comparingLong(Change::at));
        long worker = 0, outbox = 0;
        int withWorker = 0, inOutbox = 0;
        long previous = start;
        for (Change change : changes) {
            long span = change.at() - previous;
            if (withWorker > 0) {
                worker += span;
            } else if (inOutbox > 0) {
                outbox += span;
            }
            withWorker += change.worker();
            inOutbox += change.outbox();
            previous = change.at();
        }
        Map<String, Integer> byKind = new TreeMap<>();
        commands.forEach(c -> byKind.merge(c.kind(), 1, Integer::sum));
        int waves = 1;
        for (int i = 1; i < commands.size(); i++) {
            if (commands.get(i).stored() - commands.get(i - 1).stored() > 5) { // one transaction: a few ms apart
                waves++;
            }
        }
        long total = end - start;
        return new Breakdown(total / 1e3, worker / 1e3, outbox / 1e3, (total - worker - outbox) / 1e3, byKind, waves);
    }

    private static long millis(Timestamp t) {
        return t.getTime();
    }
}
