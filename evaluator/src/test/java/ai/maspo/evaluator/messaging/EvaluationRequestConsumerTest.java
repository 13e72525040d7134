package ai.maspo.evaluator.messaging;

import ai.maspo.evaluator.SimulatorTestResource;
import ai.maspo.infra.KafkaClients;
import ai.maspo.infra.test.KafkaTestResource;
import ai.maspo.infra.test.PostgresTestResource;
import ai.maspo.infra.test.TopicProbe;
import ai.maspo.protocol.AgentTrace;
import ai.maspo.protocol.EvaluationResult;
import ai.maspo.protocol.MasTraces;
import ai.maspo.protocol.ModelRole;
import ai.maspo.protocol.Question;
import ai.maspo.protocol.QuestionTrace;
import ai.maspo.protocol.ResultStatus;
import ai.maspo.protocol.Topics;
import ai.maspo.protocol.Usage;
import io.quarkus.test.common.QuarkusTestResource;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringSerializer;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static ai.maspo.evaluator.messaging.EvaluatorTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The evaluator against a real broker and the simulator as its OpenAI-compatible endpoint. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, initArgs = @ResourceArg(name = KafkaTestResource.USER_ARG, value = "evaluator"))
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(SimulatorTestResource.class)
class EvaluationRequestConsumerTest {

    @ConfigProperty(name = "maspo.llm.base-url")
    String simulator;

    @Test
    void runsTheSystemOnEachQuestionAndCachesDeterministicCalls() throws Exception {
        String runId = "run-" + UUID.randomUUID();
        List<Question> questions = questions(simulator, 6);

        send(runId + ":a", MAPPER.writeValueAsString(request(runId + "/a", runId, questions)));
        EvaluationResult first = awaitResult(runId + "/a");

        assertThat(first.status()).isEqualTo(ResultStatus.SUCCEEDED);
        List<QuestionTrace> traces = ((MasTraces) first.outcome()).traces();
        assertThat(traces).extracting(QuestionTrace::questionId)
                .containsExactlyElementsOf(questions.stream().map(Question::id).toList());
        for (QuestionTrace trace : traces) {
            AgentTrace predictor = trace.agents().get(0);
            AgentTrace reflector = trace.agents().get(1);
            assertThat(predictor.agentId()).isEqualTo("predictor");
            assertThat(predictor.context()).isEmpty();
            // The reflector reads the predictor's compressed output, and the terminal output is not compressed.
            assertThat(predictor.shortOutput()).isNotEqualTo(predictor.output());
            assertThat(reflector.context()).contains(predictor.shortOutput());
            assertThat(reflector.shortOutput()).isEqualTo(reflector.output());
            assertThat(trace.correct()).isNotNull();
        }
        assertThat(traces).filteredOn(t -> t.finalAnswer() != null).hasSizeGreaterThanOrEqualTo(4);
        // Two agents plus one compression per question; all paid for unless two predictor outputs happen to be
        // identical, whose compression is then asked once.
        Usage agentUsage = usage(first, ModelRole.AGENT);
        assertThat(agentUsage.calls() + agentUsage.cachedCalls()).isEqualTo(3L * questions.size());
        assertThat(agentUsage.calls()).isGreaterThanOrEqualTo(2L * questions.size());
        assertThat(agentUsage.promptTokens()).isPositive();
        assertThat(agentUsage.completionTokens()).isPositive();

        // The same deterministic work again is answered from the cache, with the same traces.
        send(runId + ":b", MAPPER.writeValueAsString(request(runId + "/b", runId, questions)));
        EvaluationResult second = awaitResult(runId + "/b");
        assertThat(((MasTraces) second.outcome()).traces()).isEqualTo(traces);
        assertThat(usage(second, ModelRole.AGENT).calls()).isZero();
        assertThat(usage(second, ModelRole.AGENT).cachedCalls()).isEqualTo(3L * questions.size());
    }

    /**
     * A model that reasons before it answers (the simulator's realistic style: drafts that disagree with the final
     * answer, in {@code <think>} or {@code reasoning_content}, chatter, markdown): the traces keep the reasoning apart,
     * and the answers read are those of the same model answering tidily (the predictor's request is the same text in
     * both styles, so the world gives it the same answer).
     */
    @Test
    void reasoningIsKeptOutOfOutputsAndAnswersAreThoseOfTidyReplies() throws Exception {
        String runId = "run-" + UUID.randomUUID();
        List<Question> questions = questions(simulator, 20);
        send(runId + ":plain", MAPPER.writeValueAsString(request(runId + "/plain", runId, questions)));
        send(runId + ":realistic", MAPPER.writeValueAsString(
                request(runId + "/realistic", runId, questions, "sequential-trap:realistic")));
        List<QuestionTrace> plain = ((MasTraces) awaitResult(runId + "/plain").outcome()).traces();
        List<QuestionTrace> realistic = ((MasTraces) awaitResult(runId + "/realistic").outcome()).traces();

        int reasoned = 0;
        int sameAnswer = 0;
        for (int i = 0; i < questions.size(); i++) {
            AgentTrace tidy = plain.get(i).agents().get(0);
            AgentTrace styled = realistic.get(i).agents().get(0);
            assertThat(tidy.reasoning()).isNull();
            for (AgentTrace agent : realistic.get(i).agents()) {
                assertThat(agent.output()).doesNotContain("<think>", "</think>");
                assertThat(agent.shortOutput()).doesNotContain("<think>", "\\boxed");
                assertThat(agent.context()).doesNotContain("<think>", "\\boxed");
            }
            if (styled.reasoning() != null) {
                reasoned++;
                assertThat(styled.reasoning()).contains("\\boxed");
            }
            String tidyAnswer = tidy.output().replaceAll("(?s).*The answer is (-?\\d+)\\.\\s*$", "$1");
            if (!styled.output().startsWith("I'm sorry") && styled.output().contains("The answer is " + tidyAnswer + ".")) {
                sameAnswer++;
            }
        }
        assertThat(reasoned).as("replies with reasoning (all but refusals)").isGreaterThanOrEqualTo(questions.size() - 2);
        assertThat(sameAnswer).as("predictor answers equal to the tidy ones").isGreaterThanOrEqualTo(questions.size() - 2);
    }

    @Test
    void malformedRequestsGoToTheDeadLetterTopicAndConsumptionGoesOn() throws Exception {
        String runId = "run-" + UUID.randomUUID();
        send(runId + ":bad1", "this is not json " + runId);
        send(runId + ":bad2", "{\"requestId\":\"\",\"runId\":\"" + runId + "\"}");
        send(runId + ":good", MAPPER.writeValueAsString(request(runId + "/good", runId, questions(simulator, 1))));

        assertThat(awaitResult(runId + "/good").status()).isEqualTo(ResultStatus.SUCCEEDED);
        var dead = TopicProbe.await(Topics.deadLetter(Topics.EVALUATION_REQUESTS),
                r -> r.key() != null && r.key().startsWith(runId), 2, Duration.ofSeconds(30));
        assertThat(dead).extracting(r -> r.key()).containsExactlyInAnyOrder(runId + ":bad1", runId + ":bad2");
        assertThat(dead).anySatisfy(r -> assertThat(new String(r.headers().lastHeader("dead-letter-reason").value()))
                .contains("requestId"));
    }

    @Test
    void aRequestForgedByAnotherServiceIsRefusedByTheBrokerAndCostsNothing() throws Exception {
        // Only the orchestrator's user may write evaluation requests: a sampler's stolen credentials cannot make
        // the evaluators spend, here for a run that does not exist.
        String runId = "run-" + UUID.randomUUID();
        String forged = MAPPER.writeValueAsString(request(runId + "/forged", runId, questions(simulator, 2)));
        long tokensBefore = simulatorTokens();
        try (var producer = KafkaClients.create(() -> new KafkaProducer<>(KafkaClients.config(
                KafkaTestResource.clientConfig("sampler")), new StringSerializer(), new StringSerializer()))) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(Topics.EVALUATION_REQUESTS, runId, forged)).get())
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
        }
        assertThatThrownBy(() -> TopicProbe.await(Topics.EVALUATION_RESULTS, r -> r.value().contains(runId), 1,
                Duration.ofSeconds(5))).isInstanceOf(AssertionError.class);
        assertThat(simulatorTokens()).as("no LLM call").isEqualTo(tokensBefore);
    }

    private long simulatorTokens() throws Exception {
        String stats = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(simulator.replaceFirst("/v1$", "") + "/sim/stats")).build(), HttpResponse.BodyHandlers.ofString()).body();
        return MAPPER.readTree(stats).get("tokens").get("total").asLong();
    }

    static Usage usage(EvaluationResult result, ModelRole role) {
        return result.usage().stream().filter(u -> u.role() == role).findFirst()
                .orElse(new Usage(role, 0, 0, 0, 0, 0));
    }
}
