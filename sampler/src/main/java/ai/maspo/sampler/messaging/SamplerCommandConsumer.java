package ai.maspo.sampler.messaging;

import ai.maspo.protocol.MinibatchRequest;
import ai.maspo.protocol.RecordMisalignment;
import ai.maspo.protocol.RegisterPool;
import ai.maspo.protocol.SamplerCommand;
import ai.maspo.protocol.TransientFailures;
import ai.maspo.protocol.WireCodec;
import ai.maspo.sampler.service.SamplingService;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.faulttolerance.api.RetryWhen;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Validator;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.time.temporal.ChronoUnit;

/**
 * Sampler commands arrive keyed by run, so one run's registration precedes its requests; they are processed in
 * order. A mini-batch is published before the command is acknowledged (at least once); a command that does not
 * parse goes to the dead-letter topic at once. A transient failure ({@link TransientFailures}: the database or the
 * broker briefly unreachable) is retried in place with exponential backoff for up to 5 minutes, holding the run's
 * later commands back; every command is idempotent, so a retry after a partial success changes nothing.
 * A request or misalignment record for a run with no registered pool is not a run of ours (a forgery, or a run
 * whose data is gone): it is ignored and counted in {@value #UNKNOWN_RUN_METRIC}, tagged by command, before anything
 * is stored or sent.
 */
@ApplicationScoped
public class SamplerCommandConsumer {

    static final String UNKNOWN_RUN_METRIC = "maspo.sampler.unknown.run.commands";
    private static final Logger LOG = Logger.getLogger(SamplerCommandConsumer.class);

    private final SamplingService sampling;
    private final WireCodec codec;
    private final MutinyEmitter<Record<String, String>> minibatches;
    private final Counter unknownRequests;
    private final Counter unknownMisalignments;
    private final Counter misalignmentCases;
    private final DistributionSummary injectedCases;

    SamplerCommandConsumer(SamplingService sampling, ObjectMapper mapper, Validator validator,
                           @Channel("minibatches") MutinyEmitter<Record<String, String>> minibatches,
                           MeterRegistry registry) {
        this.sampling = sampling;
        this.codec = new WireCodec(mapper, validator);
        this.minibatches = minibatches;
        this.unknownRequests = registry.counter(UNKNOWN_RUN_METRIC, "command", "minibatch-request");
        this.unknownMisalignments = registry.counter(UNKNOWN_RUN_METRIC, "command", "record-misalignment");
        this.misalignmentCases = registry.counter("maspo.sampler.misalignment.cases");
        this.injectedCases = DistributionSummary.builder("maspo.sampler.minibatch.injected").register(registry);
    }

    @Incoming("minibatch-requests")
    @Blocking
    @Retry(maxRetries = -1, delay = 200, maxDuration = 5, durationUnit = ChronoUnit.MINUTES)
    @ExponentialBackoff(maxDelay = 10, maxDelayUnit = ChronoUnit.SECONDS)
    @RetryWhen(exception = TransientFailures.class)
    public void consume(String payload) {
        SamplerCommand command = codec.decode(payload, SamplerCommand.class);
        MDC.put("runId", command.runId());
        try {
            handle(command);
        } finally {
            MDC.remove("runId");
        }
    }

    private void handle(SamplerCommand command) {
        switch (command) {
            case RegisterPool register -> sampling.register(register);
            case RecordMisalignment cases -> {
                if (sampling.remember(cases)) {
                    misalignmentCases.increment(cases.cases().size());
                } else {
                    ignoreUnknownRun(unknownMisalignments, "misalignment record", cases.runId());
                }
            }
            case MinibatchRequest request -> sampling.minibatch(request, codec).ifPresentOrElse(
                    minibatch -> {
                        minibatches.sendAndAwait(Record.of(minibatch.runId(), codec.encode(minibatch)));
                        // how much of each mini-batch the misalignment memory fills, i.e. whether it is working
                        injectedCases.record(minibatch.injectedQuestionIds().size());
                    },
                    () -> ignoreUnknownRun(unknownRequests, "mini-batch request " + request.requestId(), request.runId()));
        }
    }

    private static void ignoreUnknownRun(Counter counter, String what, String runId) {
        counter.increment();
        LOG.debugf("ignored %s: no pool registered for run %s", what, runId);
    }
}
