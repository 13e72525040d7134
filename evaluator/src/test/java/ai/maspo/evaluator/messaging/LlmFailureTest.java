package ai.maspo.evaluator.messaging;

import ai.maspo.evaluator.SimulatorTestResource;
import ai.maspo.infra.test.KafkaTestResource;
import ai.maspo.protocol.EvaluationResult;
import ai.maspo.protocol.ResultStatus;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;

import static ai.maspo.evaluator.messaging.EvaluatorTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

/** An endpoint that always fails: bounded retries, then a FAILED result that says why — never a score. */
@QuarkusTest
@TestProfile(LlmFailureTest.FailingEndpoint.class)
@QuarkusTestResource(value = KafkaTestResource.class, initArgs = @ResourceArg(name = KafkaTestResource.USER_ARG, value = "evaluator"))
class LlmFailureTest {

    public static class FailingEndpoint implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ai.maspo.evaluator.service.LlmCaller/call/Retry/delay", "5",
                    "ai.maspo.evaluator.service.LlmCaller/call/Retry/jitter", "0");
        }

        @Override
        public java.util.List<TestResourceEntry> testResources() {
            return java.util.List.of(new TestResourceEntry(SimulatorTestResource.class, Map.of("rate500", "1.0")));
        }
    }

    @ConfigProperty(name = "maspo.llm.base-url")
    String simulator;

    @Test
    void failsAfterBoundedRetries() throws Exception {
        String runId = "run-" + UUID.randomUUID();
        var question = new ai.maspo.protocol.Question("q1", "#q0001 What is 2 + 3?", "5", null);
        send(runId + ":q1", MAPPER.writeValueAsString(request(runId + "/q1", runId, java.util.List.of(question))));

        EvaluationResult result = awaitResult(runId + "/q1");

        assertThat(result.status()).isEqualTo(ResultStatus.FAILED);
        assertThat(result.outcome()).isNull();
        assertThat(result.error()).contains("agent call").contains("failed after retries");
        // Three attempts, each tried twice by the client itself: six requests reached the endpoint, no more.
        String stats = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(simulator.replaceFirst("/v1$", "") + "/sim/stats")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(MAPPER.readTree(stats).path("faults").path("server_error").asLong()).isEqualTo(6);
    }
}
