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
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static ai.maspo.evaluator.messaging.EvaluatorTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code maspo.llm.max-in-flight} bounds the requests the endpoint sees at once from one evaluator, across jobs:
 * two jobs of 8 questions each would open 16 agent calls at once without it.
 */
@QuarkusTest
@TestProfile(CallSlotsTest.ThreeSlots.class)
@QuarkusTestResource(value = KafkaTestResource.class, initArgs = @ResourceArg(name = KafkaTestResource.USER_ARG, value = "evaluator"))
@QuarkusTestResource(PostgresTestResource.class)
class CallSlotsTest {

    static final int SLOTS = 3;

    public static class ThreeSlots implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("maspo.llm.max-in-flight", Integer.toString(SLOTS));
        }

        @Override
        public List<TestResourceEntry> testResources() {
            // Slow enough that calls overlap whenever the evaluator allows it.
            return List.of(new TestResourceEntry(SimulatorTestResource.class, Map.of("latencyMillis", "150")));
        }
    }

    @ConfigProperty(name = "maspo.llm.base-url")
    String simulator;

    @Test
    void theEndpointNeverSeesMoreCallsAtOnceThanTheSlots() throws Exception {
        resetSimulator(simulator);
        String runId = "run-" + UUID.randomUUID();
        var questions = questions(simulator, 16);
        send(runId + ":0", MAPPER.writeValueAsString(request(runId + "/0", runId, questions.subList(0, 8))));
        send(runId + ":1", MAPPER.writeValueAsString(request(runId + "/1", runId, questions.subList(8, 16))));

        EvaluationResult first = awaitResult(runId + "/0", Duration.ofMinutes(2));
        EvaluationResult second = awaitResult(runId + "/1", Duration.ofMinutes(2));

        assertThat(List.of(first.status(), second.status())).containsOnly(ResultStatus.SUCCEEDED);
        var concurrency = simulatorStats(simulator).path("concurrency");
        assertThat(concurrency.path("peak").asLong()).as("the most calls the endpoint saw at once")
                .isEqualTo(SLOTS);
        assertThat(requestsReceived(simulator)).as("every call still made").isGreaterThanOrEqualTo(16);
    }
}
