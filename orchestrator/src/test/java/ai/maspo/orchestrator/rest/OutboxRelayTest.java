package ai.maspo.orchestrator.rest;

import ai.maspo.infra.test.KafkaTestResource;
import ai.maspo.infra.test.PostgresTestResource;
import ai.maspo.infra.test.TopicProbe;
import ai.maspo.orchestrator.persistence.DispatchEntity;
import ai.maspo.protocol.EvaluationRequest;
import ai.maspo.protocol.SamplerCommand;
import ai.maspo.protocol.Topics;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static ai.maspo.orchestrator.testsupport.TestAuth.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * The outbox relay over a real broker and PostgreSQL: a one-way command whose publish fails (the pool registration)
 * is published again once the broker is back, the mini-batch request stored after it is not published before it,
 * and the run completes; the commands of a run cancelled meanwhile are not published at all.
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

    /** Commands of a cancelled run that the broker never acknowledged are not sent once it is reachable again. */
    @Test
    void theUnpublishedCommandsOfACancelledRunAreNeverSent() {
        WirePlayer player = new WirePlayer(mapper);
        String marker = "outbox-cancel-" + UUID.randomUUID();
        UnreachableBrokerInterceptor.failNext(marker, Integer.MAX_VALUE);
        String runId = player.submit(marker);
        await().atMost(WirePlayer.WAIT).until(() -> UnreachableBrokerInterceptor.failed() > 0);

        given().post("/api/v1/runs/" + runId + "/cancel").then().statusCode(200).body("status", equalTo("STOPPED"));
        UnreachableBrokerInterceptor.failNext(marker, 0);
        // Another run's commands go out, so the relay has made a pass with the broker reachable since the cancel.
        String other = player.submit("outbox-after-cancel-" + UUID.randomUUID());
        assertThatThrownBy(() -> TopicProbe.await(Topics.MINIBATCH_REQUESTS,
                r -> runId.equals(r.key()) || other.equals(r.key()), 3, Duration.ofSeconds(10)))
                .as("only the other run's pool and mini-batch request").isInstanceOf(AssertionError.class)
                .hasMessageEndingWith("found 2");
        assertThat(TopicProbe.await(Topics.MINIBATCH_REQUESTS, r -> other.equals(r.key()), 2, WirePlayer.WAIT))
                .hasSize(2);
        long unsent = QuarkusTransaction.requiringNew().call(() -> DispatchEntity.count(
                "runId = ?1 and status = ?2 and publishedAt is null", runId, DispatchEntity.Status.CANCELLED));
        assertThat(unsent).as("the pool registration and the mini-batch request, cancelled unsent").isEqualTo(2);
    }
}
