package ai.maspo.evaluator.messaging;

import ai.maspo.evaluator.service.EvaluationService;
import ai.maspo.evaluator.tracing.EvaluatorTracing;
import ai.maspo.protocol.EvaluationRequest;
import ai.maspo.protocol.EvaluationResult;
import ai.maspo.protocol.WireCodec;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.smallrye.common.annotation.RunOnVirtualThread;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Validator;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.MDC;

/**
 * Consumes evaluation requests (one consumer group over all evaluator replicas) and publishes one result each,
 * keyed by run, before the request is acknowledged. A message that is not a valid request is refused and goes to
 * the dead-letter topic; an LLM failure is not a refusal but a FAILED result the orchestrator records; a broker
 * that cannot take the result is waited for ({@link ResultPublisher}), so the paid work is not redone or lost. A
 * stopping evaluator finishes the jobs it has started and starts no new one ({@link JobDrain}).
 */
@ApplicationScoped
public class EvaluationRequestConsumer {

    private final EvaluationService service;
    private final ResultPublisher results;
    private final WireCodec codec;
    private final JobDrain drain;
    private final EvaluatorTracing tracing;

    EvaluationRequestConsumer(EvaluationService service, ResultPublisher results, ObjectMapper mapper,
                              Validator validator, JobDrain drain, EvaluatorTracing tracing) {
        this.service = service;
        this.tracing = tracing;
        this.results = results;
        this.drain = drain;
        this.codec = new WireCodec(mapper, validator);
    }

    @Incoming("evaluation-requests")
    @RunOnVirtualThread
    public void evaluate(String payload, IncomingKafkaRecordMetadata<String, String> record) {
        if (!drain.tryStart()) {
            drain.holdUntilExit();
        }
        Span span = tracing.job(record.getHeaders(), record.getTopic());
        try (Scope ignored = span.makeCurrent()) {
            EvaluationRequest request = codec.decode(payload, EvaluationRequest.class);
            EvaluatorTracing.describeJob(request.runId(), request.requestId(), request.job().getClass().getSimpleName());
            MDC.put("runId", request.runId());
            MDC.put("requestId", request.requestId());
            EvaluationResult result = service.evaluate(request);
            results.publish(request.runId(), codec.encode(result));
        } catch (RuntimeException e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR, String.valueOf(e.getMessage()));
            throw e;
        } finally {
            MDC.remove("runId");
            MDC.remove("requestId");
            span.end();
            drain.finished();
        }
    }
}
