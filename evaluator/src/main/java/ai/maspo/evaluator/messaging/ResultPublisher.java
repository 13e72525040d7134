package ai.maspo.evaluator.messaging;

import ai.maspo.protocol.TransientFailures;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.faulttolerance.api.RetryWhen;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import java.time.temporal.ChronoUnit;

/**
 * Publishes a result and waits for the broker's acknowledgement (acks=all). A broker hiccup ({@link
 * TransientFailures}) is retried here, with exponential backoff for up to 5 minutes, rather than failing the
 * request: the evaluation it carries was paid for and is not repeated.
 */
@ApplicationScoped
public class ResultPublisher {

    private final MutinyEmitter<Record<String, String>> results;

    /** As many results may wait for their acknowledgement as evaluations run at once (virtual threads). */
    ResultPublisher(@Channel("evaluation-results") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 1024)
                    MutinyEmitter<Record<String, String>> results) {
        this.results = results;
    }

    @Retry(maxRetries = -1, delay = 200, maxDuration = 5, durationUnit = ChronoUnit.MINUTES)
    @ExponentialBackoff(maxDelay = 10, maxDelayUnit = ChronoUnit.SECONDS)
    @RetryWhen(exception = TransientFailures.class)
    public void publish(String runId, String result) {
        results.sendAndAwait(Record.of(runId, result));
    }
}
