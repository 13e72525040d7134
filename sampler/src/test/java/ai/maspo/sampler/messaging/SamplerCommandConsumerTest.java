package ai.maspo.sampler.messaging;

import ai.maspo.infra.test.KafkaTestResource;
import ai.maspo.infra.test.PostgresTestResource;
import ai.maspo.infra.test.TopicProbe;
import ai.maspo.protocol.Minibatch;
import ai.maspo.protocol.MinibatchRequest;
import ai.maspo.protocol.Question;
import ai.maspo.protocol.RecordMisalignment;
import ai.maspo.protocol.RegisterPool;
import ai.maspo.protocol.SamplerCommand;
import ai.maspo.protocol.Topics;
import ai.maspo.sampler.persistence.MinibatchEntity;
import ai.maspo.sampler.persistence.MisalignmentCaseEntity;
import ai.maspo.sampler.persistence.PoolQuestionEntity;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The sampler against a real broker and a real PostgreSQL server. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, initArgs = @ResourceArg(name = KafkaTestResource.USER_ARG, value = "sampler"))
@QuarkusTestResource(PostgresTestResource.class)
class SamplerCommandConsumerTest {

    @Inject
    ObjectMapper mapper;
    @Inject
    MeterRegistry registry;

    @Test
    void answersMinibatchRequestsFromTheRegisteredPoolAndRepeatsItselfOnRedelivery() throws Exception {
        String runId = "run-" + UUID.randomUUID();
        List<Question> pool = IntStream.range(0, 30).mapToObj(i -> new Question("q" + i, "#q" + i + " text", null, null)).toList();
        MinibatchRequest request = new MinibatchRequest(runId + "/mb/a/0", runId, "a", 0, 10, 5, List.of(), 11);

        send(runId, new RegisterPool(runId, pool));
        send(runId, new RegisterPool(runId, pool));
        send(runId, request);
        send(runId, request);

        var records = TopicProbe.await(Topics.MINIBATCHES, r -> runId.equals(r.key()), 2, Duration.ofSeconds(30));
        Minibatch first = mapper.readValue(records.get(0).value(), Minibatch.class);
        Minibatch second = mapper.readValue(records.get(1).value(), Minibatch.class);

        assertThat(first.requestId()).isEqualTo(request.requestId());
        assertThat(first.questions()).hasSize(10).doesNotHaveDuplicates().isSubsetOf(pool);
        assertThat(first.injectedQuestionIds()).isEmpty();
        assertThat(second).as("a redelivered request gets the same mini-batch").isEqualTo(first);
        assertThat(PoolQuestionEntity.count("key.runId", runId)).as("registering twice stores once").isEqualTo(30);
    }

    @Test
    void rememberedCasesAreInjectedIntoTheSuccessorsMinibatches() throws Exception {
        String runId = "run-" + UUID.randomUUID();
        List<Question> pool = IntStream.range(0, 30).mapToObj(i -> new Question("q" + i, "#q" + i + " text", null, null)).toList();
        send(runId, new RegisterPool(runId, pool));
        send(runId, new RecordMisalignment(runId, "predictor", 2, List.of(
                new RecordMisalignment.Case("q7", 1), new RecordMisalignment.Case("q3", 0), new RecordMisalignment.Case("q9", 2))));
        send(runId, new RecordMisalignment(runId, "predictor", 2, List.of(new RecordMisalignment.Case("q3", 0))));
        send(runId, new MinibatchRequest(runId + "/mb/reflector/3", runId, "reflector", 3, 4, 5, List.of("predictor"), 1));
        send(runId, new MinibatchRequest(runId + "/mb/other/3", runId, "other", 3, 4, 5, List.of(), 1));

        var records = TopicProbe.await(Topics.MINIBATCHES, r -> runId.equals(r.key()), 2, Duration.ofSeconds(30));
        Minibatch successor = mapper.readValue(records.get(0).value(), Minibatch.class);
        Minibatch unrelated = mapper.readValue(records.get(1).value(), Minibatch.class);

        // At most half of B = 4 come from memory, most telling first.
        assertThat(successor.injectedQuestionIds()).containsExactly("q3", "q7");
        assertThat(successor.questions()).hasSize(4).extracting(Question::id).startsWith("q3", "q7");
        assertThat(unrelated.injectedQuestionIds()).isEmpty();
    }

    @Test
    void refusedCommandsGoToTheDeadLetterTopic() throws Exception {
        String runId = "run-" + UUID.randomUUID();
        TopicProbe.send(Topics.MINIBATCH_REQUESTS, runId, "{not json");

        var dead = TopicProbe.await(Topics.deadLetter(Topics.MINIBATCH_REQUESTS), r -> runId.equals(r.key()), 1,
                Duration.ofSeconds(30));
        assertThat(dead).extracting(r -> r.value()).containsExactly("{not json");
    }

    @Test
    void commandsForRunsWithoutARegisteredPoolAreIgnoredAndCounted() throws Exception {
        // Only the orchestrator's Kafka user may write these commands; here the admin plays a forger who got that far.
        String runId = "run-" + UUID.randomUUID();
        double requestsBefore = unknownRunCount("minibatch-request");
        double misalignmentsBefore = unknownRunCount("record-misalignment");
        MinibatchRequest request = new MinibatchRequest(runId + "/mb/a/0", runId, "a", 0, 10, 5, List.of(), 11);
        send(runId, new RecordMisalignment(runId, "a", 1, List.of(new RecordMisalignment.Case("q1", 0))));
        send(runId, request);
        // Same key, same partition, consumed in order: once this one is dead-lettered, the two above were handled.
        TopicProbe.send(Topics.MINIBATCH_REQUESTS, runId, "{marker");
        TopicProbe.await(Topics.deadLetter(Topics.MINIBATCH_REQUESTS), r -> runId.equals(r.key()), 1, Duration.ofSeconds(30));

        assertThat(unknownRunCount("minibatch-request") - requestsBefore).isEqualTo(1);
        assertThat(unknownRunCount("record-misalignment") - misalignmentsBefore).isEqualTo(1);
        assertThat(MisalignmentCaseEntity.count("key.runId", runId)).as("no case planted").isZero();
        assertThat((Object) MinibatchEntity.findById(request.requestId())).as("no mini-batch stored").isNull();
        assertThatThrownBy(() -> TopicProbe.await(Topics.MINIBATCHES, r -> runId.equals(r.key()), 1, Duration.ofSeconds(3)))
                .as("no mini-batch sent").isInstanceOf(AssertionError.class);
    }

    private double unknownRunCount(String command) {
        return registry.counter(SamplerCommandConsumer.UNKNOWN_RUN_METRIC, "command", command).count();
    }

    private void send(String runId, SamplerCommand command) throws Exception {
        TopicProbe.send(Topics.MINIBATCH_REQUESTS, runId, mapper.writerFor(SamplerCommand.class).writeValueAsString(command));
    }
}
