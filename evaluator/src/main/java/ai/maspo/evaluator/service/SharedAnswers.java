package ai.maspo.evaluator.service;

import ai.maspo.evaluator.config.EvaluatorConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The answer cache shared by every evaluator replica and kept across restarts (PostgreSQL, table
 * {@code evaluator.llm_answers}): the answer of a reproducible request is paid once, whichever replica asks first.
 * A replica that misses claims the request (a row without an answer) before it calls the LLM; another asking the same
 * request meanwhile waits for that answer instead of paying again, and takes the claim over only when it is no longer
 * refreshed (its replica is gone). An answer is stored once: the first one written stays.
 * <p>
 * When PostgreSQL cannot be reached the call goes ahead unshared (and is counted in
 * {@code maspo.llm.cache.shared.errors}): the cache saves money, it must not stop runs.
 */
@ApplicationScoped
public class SharedAnswers {

    private static final Logger LOG = Logger.getLogger(SharedAnswers.class);
    private static final Duration LONGEST_POLL = Duration.ofMillis(500);

    private final DataSource database;
    private final EvaluatorConfig.AnswerCache config;
    /** This replica, in the claims it holds. */
    private final UUID replica = UUID.randomUUID();
    /** The keys this replica is calling the LLM for: their claims are refreshed by {@link #heartbeat}. */
    private final Set<String> claims = ConcurrentHashMap.newKeySet();
    private final Counter waits;
    private final Counter errors;

    SharedAnswers(DataSource database, EvaluatorConfig config, MeterRegistry registry) {
        this.database = database;
        this.config = config.answerCache();
        this.waits = registry.counter("maspo.llm.cache.shared.waits");
        this.errors = registry.counter("maspo.llm.cache.shared.errors");
    }

    /**
     * The stored answer of {@code key}; empty when the caller is to call the LLM (it then holds the claim and must
     * end it with {@link #store} or {@link #release}). Waits while another replica holds a live claim on it.
     */
    Optional<LlmReply> answerOrClaim(String key, LlmRequest request) {
        byte[] id = HexFormat.of().parseHex(key);
        long poll = 10;
        boolean waited = false;
        while (true) {
            try (Connection connection = database.getConnection()) {
                if (claim(connection, id, request)) {
                    claims.add(key);
                    return Optional.empty();
                }
                try (PreparedStatement select = connection.prepareStatement("""
                        SELECT answer, reasoning, prompt_tokens, completion_tokens FROM llm_answers WHERE request_key = ?""")) {
                    select.setBytes(1, id);
                    try (ResultSet row = select.executeQuery()) {
                        if (row.next() && row.getString(1) != null) {
                            return Optional.of(new LlmReply(row.getString(1), row.getString(2), row.getLong(3),
                                    row.getLong(4)));
                        }
                    }
                }
                if (takeOver(connection, id)) {
                    claims.add(key);
                    return Optional.empty();
                }
            } catch (SQLException e) {
                unreachable("look up", e);
                return Optional.empty();
            }
            if (!waited) {
                waited = true;
                waits.increment();
            }
            try {
                Thread.sleep(poll);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LlmCallFailedException("interrupted while waiting for another evaluator's answer", e);
            }
            poll = Math.min(poll * 2, LONGEST_POLL.toMillis());
        }
    }

    private boolean claim(Connection connection, byte[] id, LlmRequest request) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO llm_answers (request_key, endpoint, role, model, claimed_by, claimed_at)
                VALUES (?, ?, ?, ?, ?, now()) ON CONFLICT (request_key) DO NOTHING""")) {
            insert.setBytes(1, id);
            insert.setString(2, request.endpoint());
            insert.setString(3, request.role().name());
            insert.setString(4, request.model());
            insert.setObject(5, replica);
            return insert.executeUpdate() == 1;
        }
    }

    /** Takes over a claim whose replica stopped refreshing it (and so stopped calling). */
    private boolean takeOver(Connection connection, byte[] id) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("""
                UPDATE llm_answers SET claimed_by = ?, claimed_at = now()
                WHERE request_key = ? AND answer IS NULL AND claimed_at < now() - make_interval(secs => ?)""")) {
            update.setObject(1, replica);
            update.setBytes(2, id);
            update.setDouble(3, config.claimLease().toMillis() / 1000.0);
            return update.executeUpdate() == 1;
        }
    }

    /** Stores the answer of a claimed key, unless one is stored already (a claim taken over may answer twice). */
    void store(String key, LlmRequest request, LlmReply reply) {
        claims.remove(key);
        try (Connection connection = database.getConnection();
             PreparedStatement upsert = connection.prepareStatement("""
                     INSERT INTO llm_answers (request_key, endpoint, role, model, claimed_by, claimed_at, answer,
                                              reasoning, prompt_tokens, completion_tokens, answered_at)
                     VALUES (?, ?, ?, ?, ?, now(), ?, ?, ?, ?, now())
                     ON CONFLICT (request_key) DO UPDATE SET answer = excluded.answer, reasoning = excluded.reasoning,
                         prompt_tokens = excluded.prompt_tokens, completion_tokens = excluded.completion_tokens,
                         answered_at = excluded.answered_at
                     WHERE llm_answers.answer IS NULL""")) {
            upsert.setBytes(1, HexFormat.of().parseHex(key));
            upsert.setString(2, request.endpoint());
            upsert.setString(3, request.role().name());
            upsert.setString(4, request.model());
            upsert.setObject(5, replica);
            upsert.setString(6, reply.text());
            upsert.setString(7, reply.reasoning());
            upsert.setLong(8, reply.promptTokens());
            upsert.setLong(9, reply.completionTokens());
            upsert.executeUpdate();
        } catch (SQLException e) {
            unreachable("store", e);
        }
    }

    /** Gives up a claim whose call failed: a replica waiting for it claims and calls itself. */
    void release(String key) {
        claims.remove(key);
        try (Connection connection = database.getConnection();
             PreparedStatement delete = connection.prepareStatement(
                     "DELETE FROM llm_answers WHERE request_key = ? AND answer IS NULL AND claimed_by = ?")) {
            delete.setBytes(1, HexFormat.of().parseHex(key));
            delete.setObject(2, replica);
            delete.executeUpdate();
        } catch (SQLException e) {
            unreachable("release", e); // the claim then lapses after the lease
        }
    }

    @Scheduled(every = "${maspo.evaluator.answer-cache.heartbeat:10s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void heartbeat() {
        if (claims.isEmpty()) {
            return;
        }
        try (Connection connection = database.getConnection();
             PreparedStatement update = connection.prepareStatement("""
                     UPDATE llm_answers SET claimed_at = now()
                     WHERE request_key = ANY (?) AND claimed_by = ? AND answer IS NULL""")) {
            update.setArray(1, connection.createArrayOf("bytea",
                    claims.stream().map(HexFormat.of()::parseHex).toArray(byte[][]::new)));
            update.setObject(2, replica);
            update.executeUpdate();
        } catch (SQLException e) {
            unreachable("refresh claims in", e);
        }
    }

    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void deleteExpired() {
        try (Connection connection = database.getConnection();
             PreparedStatement delete = connection.prepareStatement(
                     "DELETE FROM llm_answers WHERE answered_at < now() - make_interval(secs => ?)")) {
            delete.setDouble(1, config.retention().toSeconds());
            int deleted = delete.executeUpdate();
            if (deleted > 0) {
                LOG.infof("deleted %d LLM answers older than %s from the shared answer cache", deleted,
                        config.retention());
            }
        } catch (SQLException e) {
            unreachable("expire answers in", e);
        }
    }

    private void unreachable(String action, SQLException e) {
        errors.increment();
        LOG.warnf("cannot %s the shared answer cache (the call goes ahead unshared): %s", action, e.getMessage());
    }
}
