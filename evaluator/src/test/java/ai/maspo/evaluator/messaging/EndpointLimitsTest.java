package ai.maspo.evaluator.messaging;

import ai.maspo.evaluator.SimulatorTestResource;
import ai.maspo.infra.test.KafkaTestResource;
import ai.maspo.infra.test.PostgresTestResource;
import ai.maspo.protocol.EvaluationResult;
import ai.maspo.protocol.Question;
import ai.maspo.protocol.ResultStatus;
import ai.maspo.protocol.UsageReport;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static ai.maspo.evaluator.messaging.EvaluatorTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An endpoint that answers a quarter of its requests with 429 (Retry-After: 1 s) and allows 4 in flight, under jobs
 * that would open 24 at once: the endpoint never sees more than 4, every request it received is a counted attempt,
 * the 429s stay about the fault rate (a refused request is tried again after the endpoint-wide pause, not in a
 * storm), and every job completes.
 */
@QuarkusTest
@TestProfile(EndpointLimitsTest.RateLimitedEndpoint.class)
@QuarkusTestResource(value = KafkaTestResource.class, initArgs = @ResourceArg(name = KafkaTestResource.USER_ARG, value = "evaluator"))
@QuarkusTestResource(PostgresTestResource.class)
class EndpointLimitsTest {

    private static final Logger LOG = Logger.getLogger(EndpointLimitsTest.class);
    static final int LIMIT = 4;
    static final double RATE_429 = 0.25;

    public static class RateLimitedEndpoint implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("maspo.llm.limits.max-in-flight", Integer.toString(LIMIT),
                    "maspo.llm.retry.max-attempts", "12");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(SimulatorTestResource.class,
                    Map.of("rate429", Double.toString(RATE_429), "latencyMillis", "30")));
        }
    }

    @ConfigProperty(name = "maspo.llm.base-url")
    String simulator;
    @Inject
    MeterRegistry registry;

    @Test
    void a429StormStaysBoundedAndTheJobsComplete() throws Exception {
        resetSimulator(simulator);
        String runId = "run-" + UUID.randomUUID();
        List<Question> questions = questions(simulator, 24);
        long start = System.nanoTime();
        List<EvaluationResult> results = runConcurrentJobs(runId, questions, 8, Duration.ofMinutes(5));
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        var stats = simulatorStats(simulator);
        long received = requestsReceived(simulator);
        long refused = stats.path("faults").path("rate_limited").asLong();
        long answered = received - refused;
        List<UsageReport> reports = usageReports(runId, received, Duration.ofSeconds(60));
        LOG.infof("429 test: %d requests received (%d answered, %d refused with 429), peak %d in flight (limit %d),"
                        + " %d paid calls reported, %s", received, answered, refused,
                stats.path("concurrency").path("peak").asLong(), LIMIT, paidCalls(reports), elapsed);

        assertThat(results).allSatisfy(r -> assertThat(r.status()).isEqualTo(ResultStatus.SUCCEEDED));
        assertThat(stats.path("concurrency").path("peak").asLong()).as("the most requests the endpoint saw at once")
                .isEqualTo(LIMIT);
        assertThat(refused).as("the simulator refused some").isPositive();
        assertThat(registry.get("maspo.llm.endpoint.throttled").counter().count()).as("every 429 slowed the endpoint")
                .isEqualTo(refused);
        assertThat(paidCalls(reports)).as("every request received is a counted attempt").isEqualTo(received);
        // A refused request is sent again once, after the pause: refusals are about rate/(1-rate) of the answers
        // (1/3 here), never a multiple of them.
        assertThat(refused).as("429s vs answered requests").isLessThanOrEqualTo(answered * 2 / 3);
    }
}
