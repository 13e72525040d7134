package ai.maspo.orchestrator.usage;

import ai.maspo.protocol.Usage;
import ai.maspo.protocol.UsageReport;
import ai.maspo.protocol.WireCodec;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Validator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The evaluators' usage reports, consumed in batches and appended to the ledger in one statement per batch.
 * A record that is not a valid report goes to {@code maspo.usage-reports.dlq} on its own, so the rest of its
 * batch is still counted.
 */
@ApplicationScoped
public class UsageReportConsumer {

    private static final Logger LOG = Logger.getLogger(UsageReportConsumer.class);

    private final UsageLedger ledger;
    private final WireCodec codec;
    private final Emitter<Record<String, String>> deadLetters;
    private final Counter rejected;

    UsageReportConsumer(UsageLedger ledger, ObjectMapper mapper, Validator validator,
                        @Channel("usage-reports-dlq") Emitter<Record<String, String>> deadLetters, MeterRegistry registry) {
        this.ledger = ledger;
        this.codec = new WireCodec(mapper, validator);
        this.deadLetters = deadLetters;
        this.rejected = registry.counter("maspo.usage.reports.rejected");
    }

    @Incoming("usage-reports")
    @Blocking
    public void onReports(ConsumerRecords<String, String> records) {
        List<UsageReport> reports = new ArrayList<>(records.count());
        List<CompletableFuture<Void>> deadLettered = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            try {
                reports.add(checked(codec.decode(record.value(), UsageReport.class)));
            } catch (WireCodec.MalformedMessageException e) {
                LOG.warnf("usage report dead-lettered: %s", e.getMessage());
                rejected.increment();
                deadLettered.add(deadLetters.send(Record.of(record.key(), record.value())).toCompletableFuture());
            }
        }
        ledger.record(reports);
        // The batch is acknowledged when this returns: a refused record must be on the dead-letter topic by then.
        CompletableFuture.allOf(deadLettered.toArray(CompletableFuture[]::new)).join();
    }

    /** What bean validation of the shared record does not say: every usage names its role and counts up. */
    private static UsageReport checked(UsageReport report) {
        for (Usage u : report.usage()) {
            if (u == null || u.role() == null || u.calls() < 0 || u.cachedCalls() < 0 || u.promptTokens() < 0
                    || u.completionTokens() < 0 || u.millis() < 0) {
                throw new WireCodec.MalformedMessageException("invalid UsageReport " + report.reportId()
                        + ": every usage needs a role and counts >= 0");
            }
        }
        return report;
    }
}
