package ai.maspo.protocol;

import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

class TransientFailuresTest {

    @Test
    void outagesAndLockWaitsAreTransientWhereverTheyAreWrapped() {
        assertThat(TransientFailures.isTransient(new SQLTransientConnectionException("refused"))).isTrue();
        // the driver's "Connection to localhost:5432 refused", wrapped as JPA and a transaction layer would
        assertThat(TransientFailures.isTransient(new IllegalStateException("tx",
                new RuntimeException("could not open", new SQLException("refused", "08001"))))).isTrue();
        assertThat(TransientFailures.isTransient(new SQLException("terminating connection", "57P01"))).isTrue();
        assertThat(TransientFailures.isTransient(new SQLException("lock timeout", "55P03"))).isTrue();
        assertThat(TransientFailures.isTransient(new SQLException("deadlock", "40P01"))).isTrue();
        // Agroal: "Acquisition timeout while waiting for new connection"
        assertThat(TransientFailures.isTransient(new SQLException("Acquisition timeout", new TimeoutException())))
                .isTrue();
    }

    @Test
    void brokenMessagesAndBrokenStatementsAreNot() {
        assertThat(TransientFailures.isTransient(new IllegalArgumentException("field 'runId' is missing"))).isFalse();
        assertThat(TransientFailures.isTransient(new UncheckedIOException(new java.io.IOException("bad json"))))
                .isFalse();
        assertThat(TransientFailures.isTransient(new SQLException("duplicate key", "23505"))).isFalse();
        assertThat(TransientFailures.isTransient(new SQLException("no state"))).isFalse();
        assertThat(TransientFailures.isTransient(null)).isFalse();
    }

    @Test
    void aKafkaRetriableExceptionIsRecognisedByItsTypeHierarchy() {
        assertThat(TransientFailures.isTransient(new RuntimeException(
                new org.apache.kafka.common.errors.NotEnoughReplicasException("broker restarting")))).isTrue();
    }
}
