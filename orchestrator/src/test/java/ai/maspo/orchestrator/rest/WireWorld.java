package ai.maspo.orchestrator.rest;

import ai.maspo.orchestrator.testsupport.TestJson;

import ai.maspo.infra.KafkaBroker;
import ai.maspo.infra.KafkaClients;
import ai.maspo.infra.test.KafkaTestResource;
import ai.maspo.protocol.AgentDefinition;
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
import ai.maspo.protocol.ProposeJob;
import ai.maspo.protocol.Question;
import ai.maspo.protocol.QuestionTrace;
import ai.maspo.protocol.RegisterPool;
import ai.maspo.protocol.ResultStatus;
import ai.maspo.protocol.RunMasJob;
import ai.maspo.protocol.SamplerCommand;
import ai.maspo.protocol.ScoreCandidateJob;
import ai.maspo.protocol.Topics;
import ai.maspo.protocol.Usage;
import ai.maspo.protocol.UsageReport;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * Plays the sampler and every evaluator of one run on the wire, for whole searches: each request is answered as it
 * arrives, deterministically (the same spec gives the same search), its spend reported first, and every answer is
 * sent twice, as a Kafka redelivery would. Requests the test holds are left unanswered until it releases them, so a
 * run can be stopped at a known point of its search.
 * <p>
 * The answers: mini-batches rotate through the pool by layer; proposals append a line to the current prompt;
 * the judge prefers the candidate for the agent's own output always, downstream on even-numbered questions only (so
 * there are misalignment cases and fractional rates); every test answer is correct.
 */
final class WireWorld implements AutoCloseable {

    private final ObjectMapper mapper;
    private final String runId;
    private final KafkaConsumer<String, String> consumer;
    private final KafkaProducer<String, String> producer;
    private final List<ConsumerRecord<String, String>> held = new ArrayList<>();
    private Predicate<String> hold = requestId -> false;
    private List<Question> pool;

    WireWorld(ObjectMapper mapper, String runId) {
        this.mapper = mapper;
        this.runId = runId;
        Map<String, Object> config = new HashMap<>(KafkaTestResource.clientConfig(KafkaBroker.ADMIN));
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "wire-world-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        Map<String, Object> clientConfig = KafkaClients.config(config);
        consumer = KafkaClients.create(() -> new KafkaConsumer<>(clientConfig, new StringDeserializer(),
                new StringDeserializer()));
        producer = KafkaClients.create(() -> new KafkaProducer<>(clientConfig, new StringSerializer(),
                new StringSerializer()));
        consumer.subscribe(List.of(Topics.MINIBATCH_REQUESTS, Topics.EVALUATION_REQUESTS));
    }

    /** Requests whose id matches stay unanswered until {@link #release()}. */
    WireWorld holding(Predicate<String> requestIds) {
        hold = requestIds;
        return this;
    }

    int heldRequests() {
        return held.size();
    }

    /** Answers the held requests, and holds nothing any more. */
    void release() {
        hold = requestId -> false;
        List<ConsumerRecord<String, String>> released = new ArrayList<>(held);
        held.clear();
        released.forEach(this::handle);
    }

    /** Answers requests as they come until {@code done}; fails after {@code timeout}. */
    void playUntil(BooleanSupplier done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("run " + runId + " did not get there within " + timeout);
            }
            consumer.poll(Duration.ofMillis(200)).forEach(this::handle);
        }
    }

    private void handle(ConsumerRecord<String, String> record) {
        boolean sampler = record.topic().equals(Topics.MINIBATCH_REQUESTS);
        if (sampler ? !runId.equals(record.key()) : !record.key().startsWith(runId + ":")) {
            return;
        }
        if (sampler) {
            switch (TestJson.read(mapper, record.value(), SamplerCommand.class)) {
                case RegisterPool register -> pool = register.pool();
                case MinibatchRequest request -> {
                    if (hold.test(request.requestId())) {
                        held.add(record);
                    } else {
                        twice(Topics.MINIBATCHES, runId, TestJson.write(mapper, new Minibatch(request.requestId(),
                                runId, request.agentId(), request.layer(), minibatch(request), List.of())));
                    }
                }
                default -> {
                    // misalignment cases: this sampler injects none
                }
            }
            return;
        }
        EvaluationRequest request = TestJson.read(mapper, record.value(), EvaluationRequest.class);
        if (hold.test(request.requestId())) {
            held.add(record);
            return;
        }
        EvaluationOutcome outcome = switch (request.job()) {
            case BaselineJob job -> {
                Map<String, List<QuestionTrace>> traces = new TreeMap<>();
                job.nodePrompts().keySet().forEach(node -> traces.put(node,
                        job.questions().stream().map(q -> trace(request, q, null)).toList()));
                yield new BaselineTraces(traces);
            }
            case ProposeJob job -> new Proposal("<prompt>" + job.currentPrompt() + "\nCheck each step.</prompt>",
                    job.currentPrompt() + "\nCheck each step.");
            case ScoreCandidateJob job -> new Judgements(job.questions().stream()
                    .flatMap(q -> job.judgedAgents().stream().map(judged -> verdict(job, q, judged))).toList());
            case RunMasJob job -> new MasTraces(job.questions().stream().map(q -> trace(request, q, true)).toList());
            default -> throw new IllegalStateException("unexpected job " + request.job());
        };
        List<Usage> usage = List.of(new Usage(ModelRole.AGENT, 2, 1, 100, 20, 5));
        twice(Topics.USAGE_REPORTS, runId, TestJson.write(mapper, new UsageReport(request.requestId() + "/usage", runId,
                request.requestId(), usage)));
        twice(Topics.EVALUATION_RESULTS, runId, TestJson.write(mapper, new EvaluationResult(request.requestId(), runId,
                ResultStatus.SUCCEEDED, null, outcome, usage)));
    }

    private List<Question> minibatch(MinibatchRequest request) {
        List<Question> drawn = new ArrayList<>();
        for (int i = 0; i < request.size(); i++) {
            drawn.add(pool.get((request.layer() + i) % pool.size()));
        }
        return drawn;
    }

    private static Judgements.Verdict verdict(ScoreCandidateJob job, Question q, String judged) {
        boolean downstreamWins = Integer.parseInt(q.id().replaceAll("\\D", "")) % 2 == 0;
        Judgements.Preference p = judged.equals(job.agentId()) || downstreamWins
                ? Judgements.Preference.CANDIDATE : Judgements.Preference.PARENT;
        return new Judgements.Verdict(q.id(), judged, p, p);
    }

    private static QuestionTrace trace(EvaluationRequest request, Question q, Boolean correct) {
        List<AgentTrace> agents = new ArrayList<>();
        for (AgentDefinition agent : request.mas().agents()) {
            agents.add(new AgentTrace(agent.id(), "context of " + q.id(), agent.id() + " on " + q.id(), "short"));
        }
        return new QuestionTrace(q.id(), agents, "1", correct);
    }

    private void twice(String topic, String key, String value) {
        try {
            for (int i = 0; i < 2; i++) {
                producer.send(new ProducerRecord<>(topic, key, value)).get();
            }
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("could not send to " + topic, e);
        }
    }



    @Override
    public void close() {
        consumer.close();
        producer.close();
    }
}
