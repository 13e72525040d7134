package ai.maspo.orchestrator.messaging;

import ai.maspo.orchestrator.service.RunService;
import ai.maspo.protocol.EvaluationResult;
import ai.maspo.protocol.Minibatch;
import ai.maspo.protocol.WireCodec;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Validator;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Answers from the evaluators and the sampler. Each is applied in its own transaction before the record is
 * acknowledged, so a crash replays it and the run's idempotent handling ignores what it already applied.
 * Records that do not parse go to the dead-letter topic.
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
    public void onResult(String payload) {
        runs.onResult(codec.decode(payload, EvaluationResult.class));
    }

    @Incoming("minibatches")
    @Blocking
    public void onMinibatch(String payload) {
        runs.onMinibatch(codec.decode(payload, Minibatch.class));
    }
}
