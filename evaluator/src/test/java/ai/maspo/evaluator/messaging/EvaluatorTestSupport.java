package ai.maspo.evaluator.messaging;

import ai.maspo.infra.KafkaBroker;
import ai.maspo.infra.KafkaClients;
import ai.maspo.infra.test.KafkaTestResource;
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
import ai.maspo.protocol.Usage;
import ai.maspo.protocol.UsageReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

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
        return request(requestId, runId, questions, "sequential-trap");
    }

    static EvaluationRequest request(String requestId, String runId, List<Question> questions, String modelName) {
        ModelSettings model = new ModelSettings(modelName, 0);
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
        return awaitResult(requestId, Duration.ofSeconds(60));
    }

    static EvaluationResult awaitResult(String requestId, Duration timeout) {
        return read(TopicProbe.await(Topics.EVALUATION_RESULTS, r -> read(r.value()).requestId().equals(requestId), 1,
                timeout).getFirst().value());
    }

    /** Sends the questions as jobs of {@code jobSize} of one run, all at once, and returns their results in order. */
    static List<EvaluationResult> runConcurrentJobs(String runId, List<Question> questions, int jobSize,
                                                    Duration timeout) throws Exception {
        List<String> requestIds = new ArrayList<>();
        for (int from = 0; from < questions.size(); from += jobSize) {
            String requestId = runId + "/" + requestIds.size();
            send(runId + ":" + requestIds.size(), MAPPER.writeValueAsString(request(requestId, runId,
                    questions.subList(from, Math.min(from + jobSize, questions.size())))));
            requestIds.add(requestId);
        }
        List<EvaluationResult> results = new ArrayList<>();
        for (String requestId : requestIds) {
            results.add(awaitResult(requestId, timeout));
        }
        return results;
    }

    /**
     * The usage reports of a run on the real usage topic: read until their calls add up to {@code expectedCalls},
     * then a little longer, so that a surplus would show too.
     */
    static List<UsageReport> usageReports(String runId, long expectedCalls, Duration timeout) {
        List<UsageReport> reports = new ArrayList<>();
        // as the admin: the test plays the orchestrator, which reads this topic
        Map<String, Object> config = new java.util.HashMap<>(KafkaTestResource.clientConfig(KafkaBroker.ADMIN));
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "probe-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (var consumer = KafkaClients.create(() -> new KafkaConsumer<>(KafkaClients.config(config),
                new StringDeserializer(), new StringDeserializer()))) {
            consumer.subscribe(List.of(Topics.USAGE_REPORTS));
            long deadline = System.nanoTime() + timeout.toNanos();
            long settle = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, settle)) {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    if (runId.equals(record.key())) {
                        reports.add(readReport(record.value()));
                    }
                }
                if (settle == Long.MAX_VALUE && paidCalls(reports) >= expectedCalls) {
                    settle = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                }
            }
        }
        return reports;
    }

    static long paidCalls(List<UsageReport> reports) {
        return reports.stream().flatMap(r -> r.usage().stream()).mapToLong(Usage::calls).sum();
    }

    /** Requests the simulator received: answered and hung ones are its "calls", refused ones only its "faults". */
    static long requestsReceived(String simulatorBaseUrl) throws Exception {
        JsonNode stats = simulatorStats(simulatorBaseUrl);
        long received = 0;
        for (JsonNode n : stats.path("calls")) {
            received += n.asLong();
        }
        JsonNode faults = stats.path("faults");
        return received + faults.path("rate_limited").asLong() + faults.path("server_error").asLong()
                + faults.path("malformed").asLong();
    }

    static JsonNode simulatorStats(String simulatorBaseUrl) throws Exception {
        return MAPPER.readTree(HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(simulatorBaseUrl.replaceFirst("/v1$", "") + "/sim/stats")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    static void resetSimulator(String simulatorBaseUrl) throws Exception {
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(simulatorBaseUrl.replaceFirst("/v1$", "") + "/sim/reset"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
    }

    private static UsageReport readReport(String json) {
        try {
            return MAPPER.readValue(json, UsageReport.class);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
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
