package ai.maspo.infra;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The benchmark's account of a search's wall time: each instant in one class, worker before outbox. */
class RoundTripsTest {

    @Test
    void everyInstantIsCountedOnceWithAWorkerFirstThenInTheOutboxElseInTheOrchestrator() {
        // A mini-batch (0-10 outbox, 10-110 sampler); the orchestrator decides for 40 ms; then two jobs stored
        // together, published at 160 and 170, answered at 300 and 250: 170-300 overlaps with a worker.
        RoundTrips.Breakdown b = RoundTrips.breakdown(List.of(
                new RoundTrips.Command("minibatch", 0, 10, 110),
                new RoundTrips.Command("baseline", 150, 160, 300),
                new RoundTrips.Command("baseline", 151, 170, 250)));

        assertThat(b.searchSeconds()).isEqualTo(0.300);
        assertThat(b.workerSeconds()).isEqualTo(0.240); // 10-110 and 160-300
        assertThat(b.outboxSeconds()).isEqualTo(0.020); // 0-10 and 150-160
        assertThat(b.orchestratorSeconds()).isEqualTo(0.040); // 110-150
        assertThat(b.waves()).isEqualTo(2);
        assertThat(b.commandsByKind()).isEqualTo(Map.of("baseline", 2, "minibatch", 1));
    }

    @Test
    void noAnsweredCommandIsAnEmptyBreakdown() {
        assertThat(RoundTrips.breakdown(List.of()).searchSeconds()).isZero();
    }
}
