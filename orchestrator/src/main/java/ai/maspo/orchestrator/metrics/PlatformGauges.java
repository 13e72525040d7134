package ai.maspo.orchestrator.metrics;

import ai.maspo.orchestrator.messaging.KafkaClientConfig;
import ai.maspo.orchestrator.ops.DeadLetterArchive;
import ai.maspo.orchestrator.persistence.RunEntity;
import ai.maspo.orchestrator.persistence.RunStatus;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Gauges read from the stores rather than from events, refreshed on a schedule so that a scrape never queries them:
 * runs by status (from PostgreSQL, every replica reports the same totals: aggregate with max, not sum) and records
 * waiting in each dead-letter topic (from Kafka, whichever service put them there).
 */
@ApplicationScoped
public class PlatformGauges {

    private static final Logger LOG = Logger.getLogger(PlatformGauges.class);

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final MeterRegistry registry;
    private final KafkaClientConfig kafka;
    /** One long-lived client: a new one per refresh would log its whole configuration every minute. */
    private Admin admin;
    private final Map<RunStatus, AtomicLong> runs = new EnumMap<>(RunStatus.class);
    private final Map<String, AtomicLong> deadLetterRecords = new ConcurrentHashMap<>();

    PlatformGauges(MeterRegistry registry, KafkaClientConfig kafka) {
        this.registry = registry;
        this.kafka = kafka;
        for (RunStatus status : RunStatus.values()) {
            runs.put(status, registry.gauge("maspo.runs", List.of(Tag.of("status",
                    status.name().toLowerCase(Locale.ROOT))), new AtomicLong()));
        }
    }

    @Scheduled(every = "${maspo.orchestrator.metrics.runs-refresh:15s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refreshRuns() {
        try {
            List<Object[]> counts = QuarkusTransaction.requiringNew().call(() -> RunEntity.getEntityManager()
                    .createQuery("select r.status, count(r) from RunEntity r group by r.status", Object[].class)
                    .getResultList());
            runs.values().forEach(v -> v.set(0));
            counts.forEach(row -> runs.get((RunStatus) row[0]).set((Long) row[1]));
        } catch (RuntimeException e) { // the database is down: the gauges keep their last values until it is back
            LOG.debugf("runs by status not refreshed: %s", e.getMessage());
        }
    }

    @Scheduled(every = "${maspo.orchestrator.metrics.dead-letters-refresh:15s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public synchronized void refreshDeadLetters() {
        try {
            if (admin == null) {
                admin = Admin.create(kafka.admin("maspo-orchestrator-metrics"));
            }
            List<String> topics = admin.listTopics().names().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).stream()
                    .filter(t -> t.endsWith(DeadLetterArchive.SUFFIX)).toList();
            Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(topics).allTopicNames().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).values()
                    .forEach(topic -> topic.partitions().forEach(p -> {
                        TopicPartition partition = new TopicPartition(topic.name(), p.partition());
                        earliest.put(partition, OffsetSpec.earliest());
                        latest.put(partition, OffsetSpec.latest());
                    }));
            var begin = admin.listOffsets(earliest).all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            var end = admin.listOffsets(latest).all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            Map<String, Long> records = new HashMap<>();
            topics.forEach(t -> records.put(t, 0L));
            end.forEach((partition, offset) -> records.merge(partition.topic(),
                    offset.offset() - begin.get(partition).offset(), Long::sum));
            records.forEach((topic, count) -> deadLetterRecords.computeIfAbsent(topic, name -> registry.gauge(
                    "maspo.dlq.records", List.of(Tag.of("topic", name)), new AtomicLong())).set(count));
        } catch (ExecutionException | TimeoutException | RuntimeException e) { // e.g. the broker is unreachable: next time
            LOG.warnf("dead-letter records not refreshed: %s", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @PreDestroy
    synchronized void close() {
        if (admin != null) {
            admin.close(TIMEOUT);
        }
    }
}
