package ai.maspo.evaluator.messaging;

import ai.maspo.evaluator.SimulatorTestResource;
import ai.maspo.infra.test.KafkaTestResource;
import ai.maspo.infra.test.PostgresTestResource;
import ai.maspo.protocol.EvaluationResult;
import ai.maspo.protocol.ResultStatus;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static ai.maspo.evaluator.messaging.EvaluatorTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

/** An endpoint that always fails: bounded attempts, each reported as paid, then a FAILED result — never a score. */
@QuarkusTest
@TestProfile(LlmFailureTest.FailingEndpoint.class)
@QuarkusTestResource(value = KafkaTestResource.class, initArgs = @ResourceArg(name = KafkaTestResource.USER_ARG, value = "evaluator"))
@QuarkusTestResource(PostgresTestResource.class)
class LlmFailureTest {

    public static class FailingEndpoint implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("maspo.llm.retry.initial-backoff", "5ms");
        }

        @Override
        public java.util.List<TestResourceEntry> testResources() {
            return java.util.List.of(new TestResourceEntry(SimulatorTestResource.class, Map.of("rate500", "1.0")));
        }
    }

    @ConfigProperty(name = "maspo.llm.base-url")
    String simulator;

    @Test
    void failsAfterBoundedAttemptsAndReportsEachOne() throws Exception {
        String runId = "run-" + UUID.randomUUID();
        var question = new ai.maspo.protocol.Question("q1", "#q0001 What is 2 + 3?", "5", null);
        send(runId + ":q1", MAPPER.writeValueAsString(request(runId + "/q1", runId, java.util.List.of(question))));

        EvaluationResult result = awaitResult(runId + "/q1");

        assertThat(result.status()).isEqualTo(ResultStatus.FAILED);
        assertThat(result.outcome()).isNull();
        assertThat(result.error()).contains("agent call").contains("failed after 6 attempts").contains("HTTP 500");
        // maspo.llm.retry.max-attempts (6) requests reached the endpoint, no more, and all six are in the run's cost.
        assertThat(simulatorStats(simulator).path("faults").path("server_error").asLong()).isEqualTo(6);
        assertThat(paidCalls(usageReports(runId, 6, Duration.ofSeconds(30)))).isEqualTo(6);
    }
}
