package ai.maspo.orchestrator.messaging;

import ai.maspo.orchestrator.service.RunService;
import ai.maspo.protocol.EvaluationResult;
import ai.maspo.protocol.Minibatch;
import ai.maspo.protocol.TransientFailures;
import ai.maspo.protocol.WireCodec;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.faulttolerance.api.RetryWhen;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Validator;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.time.temporal.ChronoUnit;

/**
 * Answers from the evaluators and the sampler. Each is applied in its own transaction before the record is
 * acknowledged, so a crash replays it and the run's idempotent handling ignores what it already applied.
 * <p>
 * Failures: a record that does not decode or validate goes to the dead-letter topic at once. A transient failure
 * ({@link TransientFailures}: the database unreachable, a lock timeout) is retried in place, with exponential
 * backoff for up to 5 minutes, holding the partition back meanwhile; only then would the record be dead-lettered.
 * The same three annotations fit any consumer method whose handling is idempotent; each setting can be overridden
 * per method through MicroProfile Config, e.g. {@code ai.maspo.orchestrator.messaging.ReplyConsumer/onResult/Retry/maxDuration}.
 * {@code throttled.unprocessed-record-max-age.ms} of the channel must exceed the retry's maxDuration, or the
 * connector reports the service unhealthy while it retries.
 */
@ApplicationScoped
public class ReplyConsumer {

    private final RunService runs;
    private final WireCodec codec;

    ReplyConsumer(RunService runs, ObjectMapper mapper, Validator validator) {
        this.runs = runs;
        this.codec = new WireCodec(mapper, validator);
    }

    @Incoming("evaluation-results")
    @Blocking
    @Retry(maxRetries = -1, delay = 200, maxDuration = 5, durationUnit = ChronoUnit.MINUTES)
    @ExponentialBackoff(maxDelay = 10, maxDelayUnit = ChronoUnit.SECONDS)
    @RetryWhen(exception = TransientFailures.class)
    public void onResult(String payload) {
        runs.onResult(codec.decode(payload, EvaluationResult.class));
    }

    @Incoming("minibatches")
    @Blocking
    @Retry(maxRetries = -1, delay = 200, maxDuration = 5, durationUnit = ChronoUnit.MINUTES)
    @ExponentialBackoff(maxDelay = 10, maxDelayUnit = ChronoUnit.SECONDS)
    @RetryWhen(exception = TransientFailures.class)
    public void onMinibatch(String payload) {
        runs.onMinibatch(codec.decode(payload, Minibatch.class));
    }
}
