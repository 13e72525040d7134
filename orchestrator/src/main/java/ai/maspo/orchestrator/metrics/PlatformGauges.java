package ai.maspo.orchestrator.metrics;

import ai.maspo.orchestrator.ops.DeadLetterArchive;
import ai.maspo.orchestrator.persistence.RunEntity;
import ai.maspo.orchestrator.persistence.RunStatus;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Gauges read from the stores rather than from events, refreshed on a schedule so that a scrape never queries them:
 * runs by status (from PostgreSQL, every replica reports the same totals: aggregate with max, not sum) and records
 * waiting in each dead-letter topic (from Kafka, whichever service put them there).
 */
@ApplicationScoped
public class PlatformGauges {

    private static final Logger LOG = Logger.getLogger(PlatformGauges.class);

    private final MeterRegistry registry;
    private final DeadLetterArchive deadLetters;
    private final Map<RunStatus, AtomicLong> runs = new EnumMap<>(RunStatus.class);
    private final Map<String, AtomicLong> deadLetterRecords = new ConcurrentHashMap<>();

    PlatformGauges(MeterRegistry registry, DeadLetterArchive deadLetters) {
        this.registry = registry;
        this.deadLetters = deadLetters;
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
    public void refreshDeadLetters() {
        try {
            deadLetters.topics().forEach(t -> deadLetterRecords.computeIfAbsent(t.topic(), name -> registry.gauge(
                    "maspo.dlq.records", List.of(Tag.of("topic", name)), new AtomicLong())).set(t.records()));
        } catch (RuntimeException e) { // e.g. the broker is unreachable: the gauges keep their values until next time
            LOG.warnf("dead-letter records not refreshed: %s", e.getMessage());
        }
    }
}
