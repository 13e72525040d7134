package ai.maspo.sampler.messaging;

import ai.maspo.protocol.Minibatch;
import ai.maspo.protocol.MinibatchRequest;
import ai.maspo.protocol.RecordMisalignment;
import ai.maspo.protocol.RegisterPool;
import ai.maspo.protocol.SamplerCommand;
import ai.maspo.protocol.WireCodec;
import ai.maspo.sampler.service.SamplingService;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Validator;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Sampler commands arrive keyed by run, so one run's registration precedes its requests; they are processed in
 * order. A mini-batch is published before the command is acknowledged (at least once); a command that does not
 * parse goes to the dead-letter topic.
 */
@ApplicationScoped
public class SamplerCommandConsumer {

    private final SamplingService sampling;
    private final WireCodec codec;
    private final MutinyEmitter<Record<String, String>> minibatches;

    SamplerCommandConsumer(SamplingService sampling, ObjectMapper mapper, Validator validator,
                           @Channel("minibatches") MutinyEmitter<Record<String, String>> minibatches) {
        this.sampling = sampling;
        this.codec = new WireCodec(mapper, validator);
        this.minibatches = minibatches;
    }

    @Incoming("minibatch-requests")
    @Blocking
    public void consume(String payload) {
        switch (codec.decode(payload, SamplerCommand.class)) {
            case RegisterPool register -> sampling.register(register);
            case RecordMisalignment cases -> sampling.remember(cases);
            case MinibatchRequest request -> {
                Minibatch minibatch = sampling.minibatch(request, codec);
                minibatches.sendAndAwait(Record.of(minibatch.runId(), codec.encode(minibatch)));
            }
        }
    }
}
