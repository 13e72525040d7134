package ai.maspo.evaluator.messaging;

import ai.maspo.evaluator.SimulatorTestResource;
import ai.maspo.infra.test.KafkaTestResource;
import ai.maspo.infra.test.PostgresTestResource;
import ai.maspo.protocol.BaselineJob;
import ai.maspo.protocol.BaselineTraces;
import ai.maspo.protocol.EvaluationRequest;
import ai.maspo.protocol.EvaluationResult;
import ai.maspo.protocol.Judgements;
import ai.maspo.protocol.ModelRole;
import ai.maspo.protocol.ModelRoles;
import ai.maspo.protocol.ModelSettings;
import ai.maspo.protocol.Proposal;
import ai.maspo.protocol.ProposeJob;
import ai.maspo.protocol.Question;
import ai.maspo.protocol.ResultStatus;
import ai.maspo.protocol.ScoreCandidateJob;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static ai.maspo.evaluator.messaging.EvaluationRequestConsumerTest.usage;
import static ai.maspo.evaluator.messaging.EvaluatorTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

/** The search's job kinds end to end through the real broker, on the simulator's sequential-trap world. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, initArgs = @ResourceArg(name = KafkaTestResource.USER_ARG, value = "evaluator"))
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(SimulatorTestResource.class)
class SearchJobsTest {

    private static final String TRAP = "Explain every intermediate calculation in full detail.";

    @ConfigProperty(name = "maspo.llm.base-url")
    String simulator;

    @Test
    void baselineNodesShareTheirUpstream() throws Exception {
        String runId = "run-" + UUID.randomUUID();
        List<Question> questions = questions(simulator, 5);
        var job = new BaselineJob("reflector", Map.of("n0", PROMPTS.get("reflector"),
                "n1", PROMPTS.get("reflector") + "\nBe careful."), PROMPTS, questions);

        EvaluationResult result = roundTrip(runId, job);

        BaselineTraces traces = (BaselineTraces) result.outcome();
        assertThat(traces.traces()).containsOnlyKeys("n0", "n1");
        assertThat(traces.traces().get("n0")).hasSize(5);
        // Each node asks predictor, compression and reflector per question (6 × 5 asks); the shared predictor
        // and its compression are paid once for both nodes. Identical texts of different questions (e.g. two
        // predictor outputs compressing alike) may hit the cache too, so paid calls are at most 4 per question.
        var agent = usage(result, ModelRole.AGENT);
        assertThat(agent.calls() + agent.cachedCalls()).isEqualTo(6L * 5);
        assertThat(agent.calls()).isLessThanOrEqualTo(4L * 5);
        assertThat(agent.cachedCalls()).isGreaterThanOrEqualTo(2L * 5);
        assertThat(traces.traces().get("n0").get(0).agents().get(0))
                .isEqualTo(traces.traces().get("n1").get(0).agents().get(0));
    }

    @Test
    void scoringComparesEachJudgedOutputInBothOrders() throws Exception {
        String runId = "run-" + UUID.randomUUID();
        List<Question> questions = questions(simulator, 8);
        var job = new ScoreCandidateJob("predictor", PROMPTS.get("predictor") + "\n" + TRAP, PROMPTS.get("predictor"),
                PROMPTS, questions, List.of("predictor", "reflector"));

        EvaluationResult result = roundTrip(runId, job);

        List<Judgements.Verdict> verdicts = ((Judgements) result.outcome()).verdicts();
        assertThat(verdicts).hasSize(2 * questions.size());
        // The trap's long outputs always differ from the parent's, so every local comparison was asked twice.
        assertThat(verdicts).filteredOn(v -> v.judgedAgent().equals("predictor"))
                .allSatisfy(v -> assertThat(v.candidateShownFirst()).isNotEqualTo(Judgements.Preference.NONE));
        assertThat(verdicts).filteredOn(v -> v.judgedAgent().equals("predictor"))
                .filteredOn(v -> v.candidateShownFirst() == Judgements.Preference.CANDIDATE).isNotEmpty();
        long judgeCalls = usage(result, ModelRole.JUDGE).calls();
        assertThat(judgeCalls).isBetween(2L * questions.size(), 2L * 2 * 2 * questions.size());
    }

    @Test
    void proposalsComeFromTheOptimizerWithTheirOwnSeed() throws Exception {
        String runId = "run-" + UUID.randomUUID();
        var traces = List.of(ProposeJob.TraceExample.plain("q1", "#q0001 What is 7 * 6?", "", "Step 1: 7*6. The answer is 41."));
        var cases = List.of(new ProposeJob.TraceExample("q2", "#q0002 What is 3 + 4?", "", "Step 1: ... The answer is 7.",
                "the reflector lost the answer", "The output works through 1 steps without stating a final result.",
                List.of(), new ProposeJob.AgentOutput("reflector", "Step 1: guess. The answer is 8.")));
        Proposal first = (Proposal) roundTrip(runId, new ProposeJob("predictor", PROMPTS.get("predictor"), traces, cases, 1)).outcome();
        assertThat(first.reply()).contains("<prompt>");
        assertThat(first.prompt()).isNotNull().contains("{question}");

        long distinct = java.util.stream.LongStream.range(2, 12).mapToObj(seed -> {
            try {
                return ((Proposal) roundTrip(runId, new ProposeJob("predictor", PROMPTS.get("predictor"), traces, cases, seed))
                        .outcome()).reply();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).distinct().count();
        assertThat(distinct).as("different seeds sample different proposals").isGreaterThan(1);
    }

    private EvaluationResult roundTrip(String runId, ai.maspo.protocol.EvaluationJob job) throws Exception {
        String requestId = runId + "/" + UUID.randomUUID();
        ModelSettings model = new ModelSettings("sequential-trap", 0);
        // A seed of its own, so that no other test's cached answers are reused.
        var request = new EvaluationRequest(requestId, runId, runId.hashCode(), reflectMas(),
                new ModelRoles(model, new ModelSettings("sequential-trap", 0.7), model), job);
        send(runId + ":" + requestId, MAPPER.writeValueAsString(request));
        EvaluationResult result = awaitResult(requestId);
        assertThat(result.status()).as(String.valueOf(result.error())).isEqualTo(ResultStatus.SUCCEEDED);
        return result;
    }
}
