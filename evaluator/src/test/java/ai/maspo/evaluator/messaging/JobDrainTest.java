package ai.maspo.evaluator.messaging;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The graceful stop's bookkeeping: jobs in progress are waited for (up to a limit), new ones are not started. */
class JobDrainTest {

    @Test
    void withNothingRunningTheDrainReturnsAtOnce() {
        JobDrain drain = new JobDrain(Duration.ofSeconds(30));
        long started = System.nanoTime();
        assertThat(drain.drain(Duration.ofSeconds(30))).isZero();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void theDrainWaitsForTheRunningJobsAndThenNoJobStarts() throws Exception {
        JobDrain drain = new JobDrain(Duration.ofSeconds(30));
        assertThat(drain.tryStart()).isTrue();
        assertThat(drain.tryStart()).isTrue();
        Thread.ofVirtual().start(() -> {
            sleep(300);
            drain.finished();
            sleep(300);
            drain.finished();
        });
        long started = System.nanoTime();
        assertThat(drain.drain(Duration.ofSeconds(30))).as("jobs still running after the drain").isZero();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(20));
        assertThat(drain.tryStart()).as("a delivery after the stop began").isFalse();
    }

    @Test
    void aJobLongerThanTheLimitIsLeftRunning() {
        JobDrain drain = new JobDrain(Duration.ofSeconds(30));
        assertThat(drain.tryStart()).isTrue();
        long started = System.nanoTime();
        assertThat(drain.drain(Duration.ofMillis(300))).isEqualTo(1);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    /** A held delivery neither returns (an acknowledgement) nor throws (a dead letter), even when interrupted. */
    @Test
    void aHeldDeliveryNeverReturns() throws Exception {
        JobDrain drain = new JobDrain(Duration.ofSeconds(30));
        drain.stop();
        CountDownLatch returned = new CountDownLatch(1);
        Thread held = Thread.ofVirtual().start(() -> {
            if (!drain.tryStart()) {
                drain.holdUntilExit();
            }
            returned.countDown();
        });
        assertThat(returned.await(300, TimeUnit.MILLISECONDS)).isFalse();
        held.interrupt();
        assertThat(returned.await(300, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(held.isAlive()).isTrue();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
