package ai.maspo.evaluator.messaging;

import ai.maspo.evaluator.service.EvaluationService;
import ai.maspo.protocol.EvaluationRequest;
import ai.maspo.protocol.EvaluationResult;
import ai.maspo.protocol.WireCodec;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.common.annotation.RunOnVirtualThread;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Validator;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Outgoing;

/**
 * Consumes evaluation requests (one consumer group over all evaluator replicas) and publishes one result each,
 * keyed by run. A message that is not a valid request is refused and goes to the dead-letter topic; an LLM
 * failure is not a refusal but a FAILED result the orchestrator records.
 */
@ApplicationScoped
public class EvaluationRequestConsumer {

    private final EvaluationService service;
    private final WireCodec codec;

    EvaluationRequestConsumer(EvaluationService service, ObjectMapper mapper, Validator validator) {
        this.service = service;
        this.codec = new WireCodec(mapper, validator);
    }

    @Incoming("evaluation-requests")
    @Outgoing("evaluation-results")
    @RunOnVirtualThread
    public Record<String, String> evaluate(String payload) {
        EvaluationRequest request = codec.decode(payload, EvaluationRequest.class);
        EvaluationResult result = service.evaluate(request);
        return Record.of(request.runId(), codec.encode(result));
    }
}
