package ai.maspo.orchestrator.rest;

import ai.maspo.infra.test.KafkaTestResource;
import ai.maspo.infra.test.PostgresTestResource;
import ai.maspo.protocol.EvaluationRequest;
import ai.maspo.protocol.SamplerCommand;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The outbox relay over a real broker and PostgreSQL: a one-way command whose publish fails (the pool registration)
 * is published again once the broker is back, the mini-batch request stored after it is not published before it,
 * and the run completes.
 */
@QuarkusTest
@TestProfile(OutboxRelayTest.FlakyPublishes.class)
@QuarkusTestResource(value = KafkaTestResource.class, initArgs = @ResourceArg(name = KafkaTestResource.USER_ARG, value = "orchestrator"))
@QuarkusTestResource(PostgresTestResource.class)
class OutboxRelayTest {

    public static class FlakyPublishes implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "maspo.orchestrator.outbox.producer.\"interceptor.classes\"", UnreachableBrokerInterceptor.class.getName(),
                    "maspo.orchestrator.outbox.producer.\"max.block.ms\"", "1000");
        }
    }

    @Inject
    ObjectMapper mapper;

    @Test
    void aOneWayCommandWhosePublishFailedIsPublishedAgainInOrderAndTheRunCompletes() {
        WirePlayer player = new WirePlayer(mapper);
        String marker = "outbox-" + UUID.randomUUID();
        // The pool registration carries the marked questions: its first three publishes fail.
        UnreachableBrokerInterceptor.failNext(marker, 3);
        String runId = player.submit(marker);

        List<SamplerCommand> commands = player.poolAndFirstRequest(runId);
        assertThat(UnreachableBrokerInterceptor.failed()).isEqualTo(3);
        // The mini-batch request, stored after the pool in the same transaction, waited for the pool's publish.
        WirePlayer.assertPoolFirst(commands);

        List<EvaluationRequest> baseline = player.drawMinibatch(runId);
        player.answer(baseline.get(0), player.baselineAnswer(baseline.get(0)));
        player.answer(baseline.get(1), player.baselineAnswer(baseline.get(1)));
        player.finishTesting(runId);
    }
}
