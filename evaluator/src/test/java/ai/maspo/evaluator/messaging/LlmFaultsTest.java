package ai.maspo.evaluator.messaging;

import ai.maspo.evaluator.SimulatorTestResource;
import ai.maspo.infra.test.KafkaTestResource;
import ai.maspo.infra.test.PostgresTestResource;
import ai.maspo.protocol.EvaluationResult;
import ai.maspo.protocol.Question;
import ai.maspo.protocol.ResultStatus;
import ai.maspo.protocol.Usage;
import ai.maspo.protocol.UsageReport;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static ai.maspo.evaluator.messaging.EvaluatorTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The evaluator against an endpoint that answers 429 (with Retry-After), 500, malformed bodies and hangs: every
 * request the server received is in the run's reported usage, and a hung call costs little wall time.
 */
@QuarkusTest
@TestProfile(LlmFaultsTest.FaultyEndpoint.class)
@QuarkusTestResource(value = KafkaTestResource.class, initArgs = @ResourceArg(name = KafkaTestResource.USER_ARG, value = "evaluator"))
@QuarkusTestResource(PostgresTestResource.class)
class LlmFaultsTest {

    /** The configured timeout: what a hung call cost before adaptive timeouts. */
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    public static class FaultyEndpoint implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("maspo.llm.timeout", TIMEOUT.toSeconds() + "s",
                    "maspo.llm.retry.max-attempts", "10",
                    "maspo.llm.retry.initial-backoff", "20ms",
                    "maspo.llm.adaptive-timeout.min", "500ms",
                    "maspo.llm.adaptive-timeout.min-samples", "10");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            // Hangs last longer than the timeout, as a lost connection would.
            return List.of(new TestResourceEntry(SimulatorTestResource.class, Map.of("rate429", "0.05",
                    "rate500", "0.05", "rateMalformed", "0.03", "rateHang", "0.05", "hangMillis", "120000")));
        }
    }

    @ConfigProperty(name = "maspo.llm.base-url")
    String simulator;

    @Test
    void everyRequestTheServerReceivedIsReportedAsPaid() throws Exception {
        resetSimulator(simulator);
        String runId = "run-" + UUID.randomUUID();
        List<Question> questions = questions(simulator, 24);
        List<EvaluationResult> results = new ArrayList<>();
        for (int job = 0; job < 3; job++) {
            String requestId = runId + "/" + job;
            send(runId + ":" + job, MAPPER.writeValueAsString(request(requestId, runId,
                    questions.subList(job * 8, job * 8 + 8))));
            results.add(awaitResult(requestId, Duration.ofMinutes(5)));
        }
        long received = requestsReceived(simulator);
        var faults = simulatorStats(simulator).path("faults");

        List<UsageReport> reports = usageReports(runId, received, Duration.ofSeconds(60));

        assertThat(results).allSatisfy(r -> assertThat(r.status()).isEqualTo(ResultStatus.SUCCEEDED));
        assertThat(faults.path("rate_limited").asLong() + faults.path("server_error").asLong()
                + faults.path("malformed").asLong() + faults.path("hang").asLong())
                .as("the simulator injected faults").isPositive();
        assertThat(paidCalls(reports)).as("paid calls reported vs requests received").isEqualTo(received);
        assertThat(reports).extracting(UsageReport::reportId).doesNotHaveDuplicates();
        // Cache hits are reported too, as calls that cost nothing.
        long cachedInResults = results.stream().flatMap(r -> r.usage().stream()).mapToLong(Usage::cachedCalls).sum();
        assertThat(reports.stream().flatMap(r -> r.usage().stream()).mapToLong(Usage::cachedCalls).sum())
                .isEqualTo(cachedInResults);
    }

    @Test
    void aHungCallIsCutLongBeforeTheConfiguredTimeoutOnceLatencyIsKnown() throws Exception {
        String runId = "run-" + UUID.randomUUID();
        List<Question> questions = questions(simulator, 60);
        // Warm-up: the roles' latencies are observed (hangs in this job may still wait up to the full timeout).
        send(runId + ":warm-up", MAPPER.writeValueAsString(request(runId + "/warm-up", runId, questions.subList(0, 12))));
        awaitResult(runId + "/warm-up", Duration.ofMinutes(5));

        long hangsBefore = simulatorStats(simulator).path("faults").path("hang").asLong();
        for (int job = 0; job < 6 && simulatorStats(simulator).path("faults").path("hang").asLong() == hangsBefore; job++) {
            String requestId = runId + "/" + job;
            long start = System.nanoTime();
            send(runId + ":" + job, MAPPER.writeValueAsString(request(requestId, runId,
                    questions.subList(12 + job * 8, 20 + job * 8))));
            EvaluationResult result = awaitResult(requestId, Duration.ofMinutes(5));
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

            assertThat(result.status()).isEqualTo(ResultStatus.SUCCEEDED);
            assertThat(elapsed).as("job %s took %s", job, elapsed).isLessThan(TIMEOUT.dividedBy(4));
        }
        assertThat(simulatorStats(simulator).path("faults").path("hang").asLong())
                .as("at least one timed job met a hang").isGreaterThan(hangsBefore);
    }
}
