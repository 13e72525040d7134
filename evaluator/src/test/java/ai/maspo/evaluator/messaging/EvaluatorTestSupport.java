package ai.maspo.evaluator.messaging;

import ai.maspo.infra.test.TopicProbe;
import ai.maspo.protocol.AgentDefinition;
import ai.maspo.protocol.AgentType;
import ai.maspo.protocol.Edge;
import ai.maspo.protocol.EvaluationRequest;
import ai.maspo.protocol.EvaluationResult;
import ai.maspo.protocol.MasDefinition;
import ai.maspo.protocol.ModelRoles;
import ai.maspo.protocol.ModelSettings;
import ai.maspo.protocol.Question;
import ai.maspo.protocol.RunMasJob;
import ai.maspo.protocol.TaskDefinition;
import ai.maspo.protocol.TaskType;
import ai.maspo.protocol.Topics;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A predictor → reflector system on the simulator's sequential-trap world, and Kafka round trips. */
final class EvaluatorTestSupport {

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final Map<String, String> PROMPTS = Map.of(
            "predictor", "Solve the problem step by step.\n{question}",
            "reflector", "Check the proposed solution and give the final answer.\n{question}\nProposed:\n{context}");

    static MasDefinition reflectMas() {
        return new MasDefinition(
                List.of(new AgentDefinition("predictor", "Predictor", "solves", PROMPTS.get("predictor"), AgentType.LLM),
                        new AgentDefinition("reflector", "Reflector", "checks", PROMPTS.get("reflector"), AgentType.LLM)),
                List.of(new Edge("predictor", "reflector")),
                List.of(List.of("predictor"), List.of("reflector")), "reflector",
                new TaskDefinition(TaskType.MATH, "answer_tag", "Answer correctly.", "exact"));
    }

    static EvaluationRequest request(String requestId, String runId, List<Question> questions) {
        ModelSettings model = new ModelSettings("sequential-trap", 0);
        return new EvaluationRequest(requestId, runId, 7, reflectMas(), new ModelRoles(model, model, model),
                new RunMasJob(PROMPTS, questions));
    }

    /** Labelled questions from the simulator's own dataset export. */
    static List<Question> questions(String simulatorBaseUrl, int n) throws Exception {
        String root = simulatorBaseUrl.replaceFirst("/v1$", "");
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(root + "/sim/datasets/sequential-trap/test")).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.body().lines().limit(n).map(line -> {
            try {
                var node = MAPPER.readTree(line);
                return new Question(node.get("id").asText(), node.get("question").asText(), node.get("answer").asText(), null);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    static void send(String key, String payload) {
        TopicProbe.send(Topics.EVALUATION_REQUESTS, key, payload);
    }

    /** The result for one request id, read from the real results topic. */
    static EvaluationResult awaitResult(String requestId) {
        return read(TopicProbe.await(Topics.EVALUATION_RESULTS, r -> read(r.value()).requestId().equals(requestId), 1,
                Duration.ofSeconds(60)).getFirst().value());
    }

    static EvaluationResult read(String json) {
        try {
            return MAPPER.readValue(json, EvaluationResult.class);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private EvaluatorTestSupport() {
    }
}
