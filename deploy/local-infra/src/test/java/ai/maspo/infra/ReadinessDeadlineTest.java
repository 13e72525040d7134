package ai.maspo.infra;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class ReadinessDeadlineTest {
    private final AtomicLong nanos = new AtomicLong(1_000);
    private final AtomicReference<Double> loadPerCore = new AtomicReference<>(0.5);

    private ReadinessDeadline deadline(Duration base) {
        return new ReadinessDeadline(base, loadPerCore::get, nanos::get);
    }

    private void advance(Duration by) {
        nanos.addAndGet(by.toNanos());
    }

    @Test
    void aQuietMachineGetsTheBaseLimit() {
        ReadinessDeadline deadline = deadline(Duration.ofSeconds(60));
        advance(Duration.ofSeconds(59));
        assertThat(deadline.passed()).isFalse();
        advance(Duration.ofSeconds(2));
        assertThat(deadline.passed()).isTrue();
        assertThat(deadline.limit()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void theLimitGrowsWithTheLoadPerCoreAndNeverShrinks() {
        ReadinessDeadline deadline = deadline(Duration.ofSeconds(60));
        loadPerCore.set(4.0); // e.g. load average 8 on 2 cores
        advance(Duration.ofSeconds(200));
        assertThat(deadline.passed()).isFalse();
        assertThat(deadline.limit()).isEqualTo(Duration.ofSeconds(240));
        loadPerCore.set(1.0); // the load fell: the start that was slowed down keeps its longer limit
        assertThat(deadline.passed()).isFalse();
        advance(Duration.ofSeconds(41));
        assertThat(deadline.passed()).isTrue();
    }

    @Test
    void theLimitHasACeiling() {
        ReadinessDeadline deadline = deadline(Duration.ofSeconds(60));
        loadPerCore.set(50.0);
        assertThat(deadline.limit()).isEqualTo(Duration.ofSeconds(600));
        advance(Duration.ofSeconds(601));
        assertThat(deadline.passed()).isTrue();
    }

    @Test
    void theMachineLoadIsReadable() {
        assertThat(ReadinessDeadline.machineLoadPerCore()).isGreaterThanOrEqualTo(0);
        assertThat(ReadinessDeadline.scaled(Duration.ofSeconds(10))).isBetween(Duration.ofSeconds(10), Duration.ofSeconds(100));
    }
}
