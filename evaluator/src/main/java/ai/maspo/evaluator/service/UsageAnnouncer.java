package ai.maspo.evaluator.service;

import ai.maspo.evaluator.config.LlmConfig;
import ai.maspo.protocol.ModelRole;
import ai.maspo.protocol.Topics;
import ai.maspo.protocol.Usage;
import ai.maspo.protocol.UsageReport;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The write-ahead count of LLM attempts: {@link #announce} returns once a {@link UsageReport} counting the attempt's
 * call was acknowledged by the broker (acks=all), and only then is the HTTP request sent, so every request an LLM
 * server received is in the run's cost whatever crashes afterwards. Tokens and time follow in {@link UsageReporter}'s
 * reports (reports are additive).
 * <p>
 * Group commit: one wave of reports is in flight at a time; the attempts announced meanwhile, from every job, wait
 * together and go out as the next wave (one report per job, on a producer with linger 0), so an attempt waits for
 * about one broker round trip however many run at once, and the ledger gets a row per job and wave, not per call.
 * While the broker cannot take a wave, its producer retries with backoff up to {@code
 * maspo.llm.usage-announce-timeout}; then the wave's attempts fail unsent (their jobs fail and are sent again).
 */
@ApplicationScoped
public class UsageAnnouncer {

    private final Producer<String, String> producer;
    private final ObjectMapper mapper;
    private final Timer waits;
    private final Counter reports;
    private final Object lock = new Object();
    /** Announcements for the next wave, per job. Guarded by {@link #lock}. */
    private Map<UsageMeter, Pending> next = new LinkedHashMap<>();
    /** Guarded by {@link #lock}. */
    private boolean closed;
    private final Thread sender;

    @Inject
    UsageAnnouncer(LlmConfig config, @Identifier("default-kafka-broker") Map<String, Object> kafka, ObjectMapper mapper,
                   MeterRegistry registry) {
        this(new KafkaProducer<>(producerConfig(kafka, config.usageAnnounceTimeout()), new StringSerializer(),
                new StringSerializer()), mapper, registry);
    }

    UsageAnnouncer(Producer<String, String> producer, ObjectMapper mapper, MeterRegistry registry) {
        this.producer = producer;
        this.mapper = mapper;
        this.waits = registry.timer("maspo.llm.usage.announce");
        this.reports = registry.counter("maspo.llm.usage.announce.reports");
        this.sender = Thread.ofPlatform().daemon().name("maspo-usage-announcer").start(this::sendWaves);
    }

    static Map<String, Object> producerConfig(Map<String, Object> shared, Duration timeout) {
        Map<String, Object> c = new HashMap<>(shared);
        c.put(CommonClientConfigs.CLIENT_ID_CONFIG, "maspo-usage-announcer");
        c.put(ProducerConfig.ACKS_CONFIG, "all");
        c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        // A wave's callers wait on the critical path of their LLM calls: nothing is gained by waiting for more records.
        c.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        // The producer's own retries (idempotent, with backoff) are the bounded wait for a broker that is down.
        long millis = timeout.toMillis();
        c.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(millis));
        c.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(Math.min(millis, 30_000)));
        c.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(millis));
        return c;
    }

    /**
     * Counts one attempt of {@code meter}'s job and returns once that count is durable.
     *
     * @throws LlmCallFailedException when the broker did not acknowledge it: the attempt must not be sent
     */
    public void announce(UsageMeter meter, ModelRole role) {
        long start = System.nanoTime();
        CompletableFuture<Void> acknowledged;
        synchronized (lock) {
            if (closed) {
                throw new LlmCallFailedException("the evaluator is stopping: LLM attempt not sent", null);
            }
            Pending pending = next.computeIfAbsent(meter, m -> new Pending());
            pending.calls.merge(role, 1L, Long::sum);
            acknowledged = pending.acknowledged;
            lock.notifyAll();
        }
        try {
            acknowledged.get();
        } catch (ExecutionException e) {
            throw new LlmCallFailedException("LLM attempt not sent: the broker did not acknowledge its usage report: "
                    + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LlmCallFailedException("interrupted while counting an LLM attempt: not sent", e);
        } finally {
            waits.record(Duration.ofNanos(System.nanoTime() - start));
        }
        meter.recordAnnounced(role);
    }

    private void sendWaves() {
        while (true) {
            Map<UsageMeter, Pending> wave;
            synchronized (lock) {
                while (next.isEmpty() && !closed) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        closed = true;
                    }
                }
                if (next.isEmpty()) {
                    return;
                }
                wave = next;
                next = new LinkedHashMap<>();
            }
            send(wave);
        }
    }

    /** Sends one report per job of the wave and returns once every one is acknowledged or failed. */
    private void send(Map<UsageMeter, Pending> wave) {
        List<CompletableFuture<Void>> acknowledgements = new ArrayList<>(wave.size());
        wave.forEach((meter, pending) -> {
            acknowledgements.add(pending.acknowledged);
            List<Usage> usage = new ArrayList<>();
            pending.calls.forEach((role, calls) -> usage.add(new Usage(role, calls, 0, 0, 0, 0)));
            try {
                String report = mapper.writeValueAsString(new UsageReport(UUID.randomUUID().toString(),
                        meter.runId(), meter.requestId(), usage));
                producer.send(new ProducerRecord<>(Topics.USAGE_REPORTS, meter.runId(), report), (metadata, e) -> {
                    if (e == null) {
                        pending.acknowledged.complete(null);
                    } else {
                        pending.acknowledged.completeExceptionally(e);
                    }
                });
                reports.increment();
            } catch (JsonProcessingException | RuntimeException e) { // e.g. no metadata within max.block.ms
                pending.acknowledged.completeExceptionally(e);
            }
        });
        CompletableFuture.allOf(acknowledgements.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
    }

    /** Announcements already waiting still go out; later ones are refused. */
    @PreDestroy
    void close() {
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
        try {
            sender.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
    }

    /** One job's announcements of a wave, and the acknowledgement they all wait for. */
    private static final class Pending {
        final Map<ModelRole, Long> calls = new EnumMap<>(ModelRole.class);
        final CompletableFuture<Void> acknowledged = new CompletableFuture<>();
    }
}
