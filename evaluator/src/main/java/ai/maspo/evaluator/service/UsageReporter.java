package ai.maspo.evaluator.service;

import ai.maspo.protocol.Usage;
import ai.maspo.protocol.UsageReport;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Publishes the rest of what running jobs pay as {@link UsageReport}s on {@code maspo.usage-reports} (keyed by run):
 * tokens and time of their attempts, cache hits, and withdrawn calls, every {@code maspo.llm.usage-flush-interval} and
 * when a job ends. The calls themselves were reported before they were made ({@link UsageAnnouncer}). The
 * orchestrator's run cost is the sum of all these reports, so spend is counted even when the job's result never comes
 * (a killed evaluator, a failed job); a killed evaluator loses at most the tokens of its last interval.
 */
@ApplicationScoped
public class UsageReporter {

    private static final Logger LOG = Logger.getLogger(UsageReporter.class);

    private final Emitter<Record<String, String>> emitter;
    private final ObjectMapper mapper;
    private final Set<UsageMeter> running = ConcurrentHashMap.newKeySet();

    UsageReporter(@Channel("usage-reports") @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER)
                  Emitter<Record<String, String>> emitter, ObjectMapper mapper) {
        this.emitter = emitter;
        this.mapper = mapper;
    }

    public UsageMeter start(String runId, String requestId) {
        UsageMeter meter = new UsageMeter(runId, requestId);
        running.add(meter);
        return meter;
    }

    /** Reports the job's last spend and waits until the broker has it, so it is durable before the result is sent. */
    public void finish(UsageMeter meter) {
        running.remove(meter);
        try {
            publish(meter).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warnf(e, "usage report of request %s not confirmed by the broker", meter.requestId());
        }
    }

    @Scheduled(every = "${maspo.llm.usage-flush-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void flushRunning() {
        running.forEach(this::publish);
    }

    private CompletableFuture<Void> publish(UsageMeter meter) {
        List<Usage> usage = meter.drainUnreported();
        if (usage.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        UsageReport report = new UsageReport(UUID.randomUUID().toString(), meter.runId(), meter.requestId(), usage);
        try {
            return emitter.send(Record.of(meter.runId(), mapper.writeValueAsString(report))).toCompletableFuture();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a usage report", e);
        }
    }
}
