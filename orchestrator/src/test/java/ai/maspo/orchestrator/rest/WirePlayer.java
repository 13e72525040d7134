package ai.maspo.orchestrator.rest;

import ai.maspo.orchestrator.testsupport.TestJson;

import ai.maspo.infra.test.TopicProbe;
import ai.maspo.protocol.AgentTrace;
import ai.maspo.protocol.BaselineJob;
import ai.maspo.protocol.BaselineTraces;
import ai.maspo.protocol.EvaluationOutcome;
import ai.maspo.protocol.EvaluationRequest;
import ai.maspo.protocol.EvaluationResult;
import ai.maspo.protocol.Judgements;
import ai.maspo.protocol.MasTraces;
import ai.maspo.protocol.Minibatch;
import ai.maspo.protocol.MinibatchRequest;
import ai.maspo.protocol.ModelRole;
import ai.maspo.protocol.Proposal;
import ai.maspo.protocol.QuestionTrace;
import ai.maspo.protocol.RegisterPool;
import ai.maspo.protocol.ResultStatus;
import ai.maspo.protocol.RunMasJob;
import ai.maspo.protocol.SamplerCommand;
import ai.maspo.protocol.ScoreCandidateJob;
import ai.maspo.protocol.Topics;
import ai.maspo.protocol.Usage;
import ai.maspo.protocol.UsageReport;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.http.ContentType;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static ai.maspo.orchestrator.testsupport.TestAuth.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * Plays the sampler and the evaluators on the wire for the fault and cancel tests: by default a two-agent run that
 * stops its search at a budget of 5 LLM calls (two baseline answers of 3 calls each), then measures 3 test questions
 * twice. Every answer reports 3 paid agent calls.
 */
final class WirePlayer {

    static final Duration WAIT = Duration.ofSeconds(60);

    private final ObjectMapper mapper;

    WirePlayer(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** Submits the smallest run that completes, its pool questions marked with {@code marker}. */
    String submit(String marker) {
        Map<String, Object> spec = RunSpecs.reflect(4, 3, 4);
        RunSpecs.at(spec, "search").putAll(Map.of("layersPerAgent", 1, "layersPerTurn", 1, "beamWidth", 1,
                "candidatesPerNode", 1));
        spec.put("budget", Map.of("maxLlmCalls", 5));
        return submit(spec, marker);
    }

    /** Submits {@code spec} with its pool questions marked with {@code marker}. */
    String submit(Map<String, Object> spec, String marker) {
        RunSpecs.at(spec, "data").put("pool", RunSpecs.questions(marker + "-p", 4, false));
        return given().contentType(ContentType.JSON).body(spec).post("/api/v1/runs")
                .then().statusCode(201).extract().path("id");
    }

    /** The run's first two sampler commands, in the order they are on the wire (one key, one partition). */
    List<SamplerCommand> poolAndFirstRequest(String runId) {
        return TopicProbe.await(Topics.MINIBATCH_REQUESTS, r -> runId.equals(r.key()), 2, WAIT).stream()
                .map(r -> TestJson.read(mapper, r.value(), SamplerCommand.class)).toList();
    }

    /** Answers the first mini-batch request and returns the 4 baseline jobs that follow. */
    List<EvaluationRequest> drawMinibatch(String runId) {
        List<SamplerCommand> commands = poolAndFirstRequest(runId);
        RegisterPool pool = (RegisterPool) commands.get(0);
        MinibatchRequest request = (MinibatchRequest) commands.get(1);
        TopicProbe.send(Topics.MINIBATCHES, runId, TestJson.write(mapper, new Minibatch(request.requestId(), runId,
                "predictor", 0, pool.pool(), List.of())));
        return jobs(runId, "/baseline", 4);
    }

    List<EvaluationRequest> jobs(String runId, String kind, int n) {
        return TopicProbe.await(Topics.EVALUATION_REQUESTS, r -> r.key().startsWith(runId + ":")
                && r.value().contains(runId + kind), n, WAIT).stream()
                .map(r -> TestJson.read(mapper, r.value(), EvaluationRequest.class)).toList();
    }

    /** An evaluator's answer to a baseline job: a trace per node, three paid agent calls. */
    String baselineAnswer(EvaluationRequest request) {
        BaselineJob job = (BaselineJob) request.job();
        Map<String, List<QuestionTrace>> traces = new TreeMap<>();
        job.nodePrompts().keySet().forEach(node -> traces.put(node, List.of(trace(job.questions().getFirst().id(), null))));
        return result(request, new BaselineTraces(traces));
    }

    /** An optimizer's answer to a proposal job: {@code prompt} parsed from its reply. */
    String proposalAnswer(EvaluationRequest request, String prompt) {
        return result(request, new Proposal("<prompt>" + prompt + "</prompt>", prompt));
    }

    /** A judge's answer to a scoring job: the candidate preferred in both orders on every judged agent. */
    String candidateWinsAnswer(EvaluationRequest request) {
        ScoreCandidateJob job = (ScoreCandidateJob) request.job();
        String question = job.questions().getFirst().id();
        return result(request, new Judgements(job.judgedAgents().stream().map(agent -> new Judgements.Verdict(
                question, agent, Judgements.Preference.CANDIDATE, Judgements.Preference.CANDIDATE)).toList()));
    }

    /** As an evaluator answers: its spend first, as a usage report (when the result parses), then the result. */
    void answer(EvaluationRequest request, String result) {
        reportSpendOf(request, result);
        TopicProbe.send(Topics.EVALUATION_RESULTS, request.runId(), result);
    }

    /** The usage report an evaluator publishes for the work behind {@code result}; nothing if it does not parse. */
    void reportSpendOf(EvaluationRequest request, String result) {
        EvaluationResult parsed;
        try {
            parsed = mapper.readValue(result, EvaluationResult.class);
        } catch (JsonProcessingException e) {
            return;
        }
        if (parsed.usage() != null && !parsed.usage().isEmpty()) {
            TopicProbe.send(Topics.USAGE_REPORTS, request.runId(), TestJson.write(mapper, new UsageReport(
                    java.util.UUID.randomUUID().toString(), request.runId(), request.requestId(), parsed.usage())));
        }
    }

    /** Answers the test jobs that follow the end of the search (seed 1 of 3 correct, optimized 2 of 3). */
    void finishTesting(String runId) {
        List<EvaluationRequest> seed = jobs(runId, "/test-seed/", 3);
        List<EvaluationRequest> best = jobs(runId, "/test-best/", 3);
        for (int i = 0; i < 3; i++) {
            answer(seed.get(i), testAnswer(seed.get(i), i == 0));
            answer(best.get(i), testAnswer(best.get(i), i < 2));
        }
        await().atMost(WAIT).untilAsserted(() -> given().get("/api/v1/runs/" + runId).then()
                .body("status", equalTo("COMPLETED")));
        given().get("/api/v1/runs/" + runId).then()
                .body("seedAccuracy", equalTo(1 / 3f))
                .body("optimizedAccuracy", equalTo(2 / 3f))
                .body("cost.find { it.role == 'AGENT' }.calls", equalTo(2 * 3 + 6 * 3));
    }

    /** An evaluator's answer to a test job. */
    String testAnswer(EvaluationRequest request, boolean correct) {
        return result(request, new MasTraces(List.of(trace(((RunMasJob) request.job()).questions().getFirst().id(),
                correct))));
    }

    private String result(EvaluationRequest request, EvaluationOutcome outcome) {
        return TestJson.write(mapper, new EvaluationResult(request.requestId(), request.runId(), ResultStatus.SUCCEEDED,
                null, outcome, List.of(new Usage(ModelRole.AGENT, 3, 0, 100, 20, 5))));
    }

    private static QuestionTrace trace(String questionId, Boolean correct) {
        return new QuestionTrace(questionId, List.of(new AgentTrace("predictor", "", "out", "short"),
                new AgentTrace("reflector", "short", "final", "final")), "1", correct);
    }



    static void assertPoolFirst(List<SamplerCommand> commands) {
        assertThat(commands.get(0)).isInstanceOf(RegisterPool.class);
        assertThat(commands.get(1)).isInstanceOf(MinibatchRequest.class);
    }
}
