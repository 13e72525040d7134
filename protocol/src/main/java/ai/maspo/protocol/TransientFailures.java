package ai.maspo.protocol;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * Tells a failure worth retrying in place (the database or the broker is briefly unreachable, a lock timed out)
 * from one that will fail again (a message that does not decode, a broken invariant). Consumers retry the first
 * kind with backoff and dead-letter only the second, so an outage never sends a valid message to a DLQ.
 * <p>
 * The whole cause chain is inspected, since JPA, Hibernate and the messaging layers wrap the JDBC or Kafka
 * exception that says what happened. Kafka's own classification ({@code RetriableException}) is matched by name
 * so that this shared module does not depend on the Kafka client. Usable as
 * {@code @RetryWhen(exception = TransientFailures.class)} (SmallRye Fault Tolerance).
 */
public final class TransientFailures implements Predicate<Throwable> {

    /**
     * PostgreSQL SQLSTATEs of conditions that pass: connection exceptions (class 08), serialization failure and
     * deadlock (40001, 40P01), lock not available (55P03, e.g. lock_timeout), query cancelled (57014, e.g.
     * statement_timeout), server shutting down or starting (57P01-57P03), too many connections (53300).
     */
    private static final Set<String> TRANSIENT_STATES = Set.of("40001", "40P01", "55P03", "57014", "57P01", "57P02",
            "57P03", "53300");
    private static final String KAFKA_RETRIABLE = "org.apache.kafka.common.errors.RetriableException";
    /** Hibernate's and JPA's names for a lost connection or a lock wait that timed out, whatever the driver said. */
    private static final Set<String> TRANSIENT_WRAPPERS = Set.of(
            "org.hibernate.exception.JDBCConnectionException",
            "org.hibernate.exception.LockTimeoutException",
            "org.hibernate.PessimisticLockException",
            "jakarta.persistence.LockTimeoutException",
            "jakarta.persistence.PessimisticLockException");

    /** Whether {@code failure} (or one of its causes) is transient. */
    public static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException
                    // Agroal's "Acquisition timeout while waiting for new connection" and the driver's timeouts
                    || t instanceof TimeoutException
                    || t instanceof SQLException sql && transientState(sql.getSQLState())
                    || hasType(t, KAFKA_RETRIABLE) || TRANSIENT_WRAPPERS.contains(t.getClass().getName())) {
                return true;
            }
        }
        return false;
    }

    private static boolean transientState(String state) {
        return state != null && (state.startsWith("08") || TRANSIENT_STATES.contains(state));
    }

    private static boolean hasType(Throwable t, String className) {
        for (Class<?> c = t.getClass(); c != null; c = c.getSuperclass()) {
            if (c.getName().equals(className)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean test(Throwable failure) {
        return isTransient(failure);
    }
}
