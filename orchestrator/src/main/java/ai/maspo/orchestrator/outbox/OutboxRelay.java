package ai.maspo.orchestrator.outbox;

import ai.maspo.orchestrator.config.OrchestratorConfig;
import ai.maspo.orchestrator.messaging.KafkaClientConfig;
import ai.maspo.orchestrator.persistence.DispatchEntity;
import ai.maspo.orchestrator.persistence.RunStatus;
import ai.maspo.orchestrator.tracing.CommandTracing;
import ai.maspo.protocol.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Publishes every stored command (the outbox rows of {@code dispatch}), one-way ones included, and marks a row
 * published only once the broker acknowledged it (acks=all). One thread runs the passes, so rows go out in the
 * order they were stored; on topics whose receiver depends on that order (the sampler's: a pool before its
 * mini-batches, a misalignment record before later requests) a command waits for the acknowledgement of the
 * previous one with the same key, and a failed one holds back the rest of its key until the next pass. While the
 * broker is unreachable, passes back off exponentially. Commits nudge the relay; a poll is the safety net.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    /** Topics whose consumer needs a run's commands in the order they were stored. */
    private static final Set<String> ORDERED_TOPICS = Set.of(Topics.MINIBATCH_REQUESTS);

    private final OrchestratorConfig.Outbox config;
    private final Producer<String, String> producer;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(
            r -> new Thread(r, "maspo-outbox-relay"));
    private final AtomicBoolean passRequested = new AtomicBoolean();
    private final Counter published;
    private final Counter failed;
    private final Counter resent;
    private final CommandTracing tracing;
    /** Accessed by the relay thread only, apart from the read in {@link #nudge()}. */
    private volatile Instant backoffUntil = Instant.MIN;
    private Duration backoff;

    OutboxRelay(OrchestratorConfig config, KafkaClientConfig kafka, MeterRegistry registry, CommandTracing tracing) {
        this.config = config.outbox();
        this.tracing = tracing;
        Map<String, String> settings = new HashMap<>(Map.of(
                // Short blocking and delivery limits: a pass fails and backs off rather than hang while the broker is down.
                ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000",
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000",
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "15000",
                // Every command is on a run's critical path and a pass already batches: no extra wait (default 5 ms).
                ProducerConfig.LINGER_MS_CONFIG, "0"));
        settings.putAll(this.config.producer());
        this.producer = new KafkaProducer<>(kafka.producer("maspo-orchestrator-outbox", settings),
                new StringSerializer(), new StringSerializer());
        this.backoff = this.config.backoffInitial();
        this.published = registry.counter("maspo.outbox.published");
        this.failed = registry.counter("maspo.outbox.publish.failures");
        this.resent = registry.counter("maspo.outbox.resent");
    }

    void onStart(@Observes StartupEvent event) {
        // Publishes what the previous process stored but never saw acknowledged; nothing acknowledged is re-sent.
        nudge();
    }

    /** Asks for a pass soon; cheap and safe to call from any thread, e.g. after every commit that stored commands. */
    public void nudge() {
        if (Instant.now().isBefore(backoffUntil) || worker.isShutdown()) {
            return; // a pass is already scheduled for the end of the backoff, or the service is stopping
        }
        if (passRequested.compareAndSet(false, true)) {
            worker.execute(this::drain);
        }
    }

    @Scheduled(every = "${maspo.orchestrator.outbox.poll-interval:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        nudge();
    }

    /**
     * Last resort for a command acknowledged by the broker yet never answered (e.g. lost with a topic's data):
     * marking it unpublished makes the relay send it again.
     */
    @Scheduled(every = "${maspo.orchestrator.outbox.resend-check:30s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void resendUnanswered() {
        Instant cutoff = Instant.now().minus(config.resendUnansweredAfter());
        int count;
        try {
            count = QuarkusTransaction.requiringNew().call(() -> DispatchEntity.update(
                    "publishedAt = null where status = ?1 and awaitsReply = true and publishedAt < ?2"
                            + " and runId in (select r.id from RunEntity r where r.status in ?3)",
                    DispatchEntity.Status.PENDING, cutoff, List.of(RunStatus.PENDING, RunStatus.RUNNING)));
        } catch (RuntimeException e) { // e.g. the database is down: the next check tries again
            LOG.warnf("outbox relay: cannot look for unanswered commands: %s", describe(e));
            return;
        }
        if (count > 0) {
            resent.increment(count);
            LOG.warnf("%d commands published before %s are still unanswered: publishing them again", count, cutoff);
            nudge();
        }
    }

    private void drain() {
        passRequested.set(false);
        try {
            int sent;
            do {
                sent = pass();
            } while (sent == config.batchSize());
            backoff = config.backoffInitial();
            backoffUntil = Instant.MIN;
        } catch (RuntimeException e) {
            failed.increment();
            LOG.warnf("outbox relay: %s; next attempt in %d ms", describe(e), backoff.toMillis());
            backoffUntil = Instant.now().plus(backoff);
            worker.schedule(this::drain, backoff.toMillis(), TimeUnit.MILLISECONDS);
            backoff = min(backoff.multipliedBy(2), config.backoffMax());
        }
    }

    /**
     * Publishes one batch of unpublished rows and marks those acknowledged; returns how many rows it read. Throws
     * when any row could not be published (after marking the others), so the caller backs off.
     */
    private int pass() {
        List<Outgoing> rows = QuarkusTransaction.requiringNew().call(() -> DispatchEntity.unpublished(config.batchSize())
                .stream().map(Outgoing::of).toList());
        if (rows.isEmpty()) {
            return 0;
        }
        Map<Outgoing, Future<RecordMetadata>> sends = new LinkedHashMap<>();
        Map<String, Future<RecordMetadata>> lastOfKey = new HashMap<>();
        Set<String> heldBack = new HashSet<>();
        RuntimeException failure = null;
        for (Outgoing row : rows) {
            String chain = row.topic() + "\u0000" + row.key();
            boolean ordered = ORDERED_TOPICS.contains(row.topic());
            if (ordered && (heldBack.contains(chain) || !acknowledged(lastOfKey.get(chain)))) {
                heldBack.add(chain); // stays unpublished: sent after its predecessor on a later pass
                continue;
            }
            Future<RecordMetadata> send = send(row);
            sends.put(row, send);
            if (ordered) {
                lastOfKey.put(chain, send);
            }
        }
        List<String> acknowledged = new ArrayList<>();
        for (Map.Entry<Outgoing, Future<RecordMetadata>> send : sends.entrySet()) {
            try {
                send.getValue().get();
                acknowledged.add(send.getKey().requestId());
            } catch (ExecutionException e) {
                failure = new IllegalStateException("publishing " + send.getKey().requestId() + " to "
                        + send.getKey().topic() + " failed", e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = new IllegalStateException("interrupted", e);
            }
        }
        if (!acknowledged.isEmpty()) {
            Instant now = Instant.now();
            QuarkusTransaction.requiringNew().run(() -> DispatchEntity.update(
                    "publishedAt = ?1 where requestId in ?2", now, acknowledged));
            published.increment(acknowledged.size());
        }
        if (failure != null) {
            throw failure; // rows held back behind it are published on the next pass, after it
        }
        return rows.size();
    }

    private Future<RecordMetadata> send(Outgoing row) {
        ProducerRecord<String, String> record = new ProducerRecord<>(row.topic(), row.key(), row.payload());
        Span span = tracing.publishing(row.traceContext(), row.topic(), row.requestId(), record.headers());
        try {
            return producer.send(record, (metadata, error) -> {
                if (error != null) {
                    span.setStatus(StatusCode.ERROR, error.toString());
                }
                span.end();
            });
        } catch (RuntimeException e) { // e.g. metadata not available within max.block.ms
            span.setStatus(StatusCode.ERROR, e.toString());
            span.end();
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Waits for the previous send of the same key; true if there is none or the broker acknowledged it. */
    private static boolean acknowledged(Future<RecordMetadata> previous) {
        if (previous == null) {
            return true;
        }
        try {
            previous.get();
            return true;
        } catch (ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String describe(Throwable e) {
        StringBuilder s = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            s.append(": ").append(c.getMessage());
        }
        return s.toString();
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Before the datasource closes (a @PreDestroy would run after it), so no pass meets a closed database. */
    void onStop(@Observes ShutdownEvent event) {
        worker.shutdownNow();
        producer.close(Duration.ofSeconds(5));
    }

    /** What a pass needs of a row, read in its own short transaction. */
    private record Outgoing(String requestId, String topic, String key, String payload, String traceContext) {
        static Outgoing of(DispatchEntity d) {
            return new Outgoing(d.requestId, d.topic, d.messageKey, d.payload, d.traceContext);
        }
    }
}
