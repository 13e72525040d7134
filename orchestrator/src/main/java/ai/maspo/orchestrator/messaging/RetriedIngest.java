package ai.maspo.orchestrator.messaging;

import ai.maspo.orchestrator.service.Reply;
import ai.maspo.orchestrator.service.ReplyIngest;
import ai.maspo.protocol.TransientFailures;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.faulttolerance.api.RetryWhen;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.faulttolerance.Retry;

import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;

/**
 * A batch of decoded answers, applied with transient failures ({@link TransientFailures}: the database unreachable,
 * a lock timeout) retried in place, with exponential backoff for up to 5 minutes, holding the partition back
 * meanwhile. A bean of its own so each attempt is a fresh transaction of {@link ReplyIngest} (the retry outside it),
 * and so a retried batch never dead-letters its malformed records twice (they were split off before). Each setting
 * can be overridden through MicroProfile Config, e.g. {@code ai.maspo.orchestrator.messaging.RetriedIngest/ingest/Retry/maxDuration};
 * {@code throttled.unprocessed-record-max-age.ms} of the channels must exceed maxDuration, or the connector reports
 * the service unhealthy while it retries.
 */
@ApplicationScoped
public class RetriedIngest {

    private final ReplyIngest ingest;

    RetriedIngest(ReplyIngest ingest) {
        this.ingest = ingest;
    }

    @Retry(maxRetries = -1, delay = 200, maxDuration = 5, durationUnit = ChronoUnit.MINUTES)
    @ExponentialBackoff(maxDelay = 10, maxDelayUnit = ChronoUnit.SECONDS)
    @RetryWhen(exception = TransientFailures.class)
    public void ingest(List<Reply> replies) {
        ingest.ingest(replies);
    }

    /** {@link ReplyIngest#checkBudgets}, transient failures retried likewise. */
    @Retry(maxRetries = -1, delay = 200, maxDuration = 5, durationUnit = ChronoUnit.MINUTES)
    @ExponentialBackoff(maxDelay = 10, maxDelayUnit = ChronoUnit.SECONDS)
    @RetryWhen(exception = TransientFailures.class)
    public void checkBudgets(Collection<String> runIds) {
        ingest.checkBudgets(runIds);
    }
}
