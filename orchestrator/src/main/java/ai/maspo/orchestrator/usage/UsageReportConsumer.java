package ai.maspo.orchestrator.usage;

import ai.maspo.orchestrator.messaging.DeadLetters;
import ai.maspo.orchestrator.messaging.RetriedIngest;
import ai.maspo.protocol.Usage;
import ai.maspo.protocol.UsageReport;
import ai.maspo.protocol.WireCodec;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Validator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.ArrayList;
import java.util.List;

/**
 * The evaluators' usage reports, consumed in batches and appended to the ledger in one statement per batch; a run
 * whose budget they exhaust is stopped at once.
 * A record that is not a valid report goes to {@code maspo.usage-reports.dlq} on its own, so the rest of its
 * batch is still counted.
 */
@ApplicationScoped
public class UsageReportConsumer {

    private final UsageLedger ledger;
    private final WireCodec codec;
    private final DeadLetters deadLetters;
    private final RetriedIngest runs;
    private final Counter rejected;

    UsageReportConsumer(UsageLedger ledger, ObjectMapper mapper, Validator validator,
                        DeadLetters deadLetters, RetriedIngest runs, MeterRegistry registry) {
        this.ledger = ledger;
        this.runs = runs;
        this.codec = new WireCodec(mapper, validator);
        this.deadLetters = deadLetters;
        this.rejected = registry.counter("maspo.usage.reports.rejected");
    }

    @Incoming("usage-reports")
    @Blocking
    public void onReports(ConsumerRecords<String, String> records) {
        List<UsageReport> reports = new ArrayList<>(records.count());
        for (ConsumerRecord<String, String> record : records) {
            try {
                reports.add(checked(codec.decode(record.value(), UsageReport.class)));
            } catch (WireCodec.MalformedMessageException e) {
                rejected.increment();
                // on the dead-letter topic before the batch is acknowledged
                deadLetters.send(record, e);
            }
        }
        if (ledger.record(reports) > 0) {
            runs.checkBudgets(reports.stream().map(UsageReport::runId).toList());
        }
    }

    /**
     * What bean validation of the shared record does not say: every usage names its role and counts up, except calls,
     * which an evaluator withdraws (negative) for an attempt it counted before sending but that never reached the server.
     */
    private static UsageReport checked(UsageReport report) {
        for (Usage u : report.usage()) {
            if (u == null || u.role() == null || u.cachedCalls() < 0 || u.promptTokens() < 0
                    || u.completionTokens() < 0 || u.millis() < 0) {
                throw new WireCodec.MalformedMessageException("invalid UsageReport " + report.reportId()
                        + ": every usage needs a role and counts >= 0 (calls excepted)");
            }
        }
        return report;
    }
}
