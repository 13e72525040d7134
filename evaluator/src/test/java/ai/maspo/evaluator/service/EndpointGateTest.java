package ai.maspo.evaluator.service;

import ai.maspo.evaluator.config.LlmConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** One endpoint's limits without a server: the outcomes of requests are given by the test. */
@Timeout(60)
class EndpointGateTest {

    private static final ChatEndpoint.Attempt ANSWERED = new ChatEndpoint.Attempt.Answered("ok", null, 10, 5, 0);
    private static final ChatEndpoint.Attempt THROTTLED = new ChatEndpoint.Attempt.Failed("HTTP 429", true, true,
            false, true, Optional.of(Duration.ofMillis(400)));
    private static final ChatEndpoint.Attempt SERVER_ERROR = new ChatEndpoint.Attempt.Failed("HTTP 500", true, true,
            false, false, Optional.empty());

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private EndpointGate gate(int maxInFlight, Integer requestsPerMinute, Long tokensPerMinute) {
        return new EndpointGate("http://llm.test/v1", new EndpointGate.Settings(maxInFlight,
                Optional.ofNullable(requestsPerMinute), Optional.ofNullable(tokensPerMinute), 100,
                Duration.ofSeconds(5)), breaker(10), registry);
    }

    private static LlmConfig.CircuitBreaker breaker(int window) {
        return new LlmConfig.CircuitBreaker() {
            public float failureRatePercent() {
                return 50;
            }

            public int window() {
                return window;
            }

            public Duration openFor() {
                return Duration.ofSeconds(30);
            }

            public int trialRequests() {
                return 1;
            }
        };
    }

    private double gauge(String name) {
        return registry.get(name).gauge().value();
    }

    @Test
    void requestsInFlightNeverExceedTheLimit() throws Exception {
        EndpointGate gate = gate(3, null, null);
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        List<Thread> jobs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            jobs.add(Thread.ofVirtual().start(() -> {
                try (EndpointGate.Pass pass = gate.enter(10).orElseThrow()) {
                    peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                    sleep(5);
                    inFlight.decrementAndGet();
                    pass.sent(ANSWERED, Duration.ZERO);
                }
            }));
        }
        for (Thread job : jobs) {
            job.join();
        }
        assertThat(peak).hasValue(3);
        assertThat(gauge("maspo.llm.endpoint.in-flight")).isZero();
    }

    @Test
    void a429PausesTheWholeEndpointAndHalvesItsLimitOncePerRound() throws Exception {
        EndpointGate gate = gate(8, null, null);
        // a burst of 4 requests sent at the same rate, all refused
        List<EndpointGate.Pass> burst = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            burst.add(gate.enter(10).orElseThrow());
        }
        long refusedAt = System.nanoTime();
        burst.forEach(pass -> pass.sent(THROTTLED, Duration.ofMillis(400)));
        assertThat(gauge("maspo.llm.endpoint.limit")).as("halved once for the burst, not 4 times").isEqualTo(4.0);
        assertThat(registry.get("maspo.llm.endpoint.throttled").counter().count()).isEqualTo(4);

        // another job's request, not itself refused, waits for the endpoint's Retry-After
        EndpointGate.Pass next = gate.enter(10).orElseThrow();
        assertThat(Duration.ofNanos(System.nanoTime() - refusedAt)).isGreaterThanOrEqualTo(Duration.ofMillis(390));
        // refused again although sent after the decrease: the endpoint asks for still less
        next.sent(THROTTLED, Duration.ZERO);
        assertThat(gauge("maspo.llm.endpoint.limit")).isEqualTo(2.0);

        // each answer regains 1/limit: about one request more per round of answers (2 → 3.83 after 5)
        for (int i = 0; i < 5; i++) {
            gate.enter(10).orElseThrow().sent(ANSWERED, Duration.ZERO);
        }
        assertThat(gauge("maspo.llm.endpoint.limit")).isBetween(3.5, 4.0);
    }

    @Test
    void aHalvedLimitHoldsBackTheRequestsBeyondIt() throws Exception {
        EndpointGate gate = gate(4, null, null);
        List<EndpointGate.Pass> held = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            held.add(gate.enter(10).orElseThrow());
        }
        held.removeFirst().sent(THROTTLED, Duration.ZERO); // limit 2, 3 still in flight
        CountDownLatch admitted = new CountDownLatch(1);
        Thread waiter = Thread.ofVirtual().start(() -> {
            gate.enter(10).orElseThrow().close();
            admitted.countDown();
        });
        held.removeFirst().sent(ANSWERED, Duration.ZERO); // 2 in flight: still at the limit
        assertThat(admitted.await(200, TimeUnit.MILLISECONDS)).as("admitted at the limit").isFalse();
        held.removeFirst().sent(ANSWERED, Duration.ZERO);
        assertThat(admitted.await(5, TimeUnit.SECONDS)).isTrue();
        waiter.join();
        held.forEach(EndpointGate.Pass::close);
    }

    @Test
    void requestsPerMinuteAreAFullBucketThenAnEvenRate() {
        EndpointGate gate = gate(100, 120, null); // 2 per second once the first 120 are spent
        for (int i = 0; i < 120; i++) {
            gate.enter(10).orElseThrow().sent(ANSWERED, Duration.ZERO);
        }
        long start = System.nanoTime();
        gate.enter(10).orElseThrow().close();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
    }

    @Test
    void tokensPerMinuteAreTakenByEstimateAndCorrectedByUsage() {
        EndpointGate gate = gate(100, null, 60_000L); // 1,000 tokens per second once the first minute's are spent
        EndpointGate.Pass large = gate.enter(1000).orElseThrow();
        // it used 62,000 tokens rather than the 1,000 estimated: the bucket owes 2,000
        large.sent(new ChatEndpoint.Attempt.Answered("long", null, 60_000, 2_000, 0), Duration.ZERO);
        long start = System.nanoTime();
        gate.enter(1000).orElseThrow().close();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("waits until the debt is paid back")
                .isGreaterThanOrEqualTo(Duration.ofMillis(2500));
    }

    @Test
    void anEndpointThatKeepsFailingIsCutOffByItsBreaker() {
        EndpointGate gate = gate(10, null, null);
        for (int i = 0; i < 10; i++) {
            gate.enter(10).orElseThrow().sent(i % 2 == 0 ? SERVER_ERROR : THROTTLED, Duration.ZERO);
        }
        assertThat(gate.enter(10)).as("429s are no failures: 5 failures are fewer than the window").isPresent()
                .get().satisfies(pass -> pass.sent(SERVER_ERROR, Duration.ZERO));
        for (int i = 0; i < 10; i++) {
            gate.enter(10).ifPresent(pass -> pass.sent(SERVER_ERROR, Duration.ZERO));
        }
        assertThat(gate.enter(10)).as("refused while open").isEmpty();
        assertThat(gauge("maspo.llm.endpoint.in-flight")).as("a refusal holds nothing").isZero();
        assertThat(registry.get("maspo.llm.endpoint.breaker").tag("state", "open").gauge().value()).isEqualTo(1.0);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
