package ai.maspo.evaluator.tracing;

import ai.maspo.protocol.KafkaTraceHeaders;
import ai.maspo.protocol.ModelRole;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapPropagator;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.header.Headers;

import java.util.function.Supplier;

/**
 * The evaluator's spans: one per job, continuing the trace the orchestrator's outbox put in the record's headers, one
 * per agent of a question, one per LLM call (answered from the cache or paid). A job fans out on virtual threads: its
 * pools wrap their tasks so each keeps the job's context. With tracing off (the default) all of it is a no-op.
 */
@ApplicationScoped
public class EvaluatorTracing {

    public static final AttributeKey<String> RUN_ID = AttributeKey.stringKey("maspo.run.id");
    public static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("maspo.request.id");
    public static final AttributeKey<String> JOB_KIND = AttributeKey.stringKey("maspo.job.kind");
    public static final AttributeKey<String> AGENT = AttributeKey.stringKey("maspo.agent");
    public static final AttributeKey<String> ROLE = AttributeKey.stringKey("maspo.llm.role");
    public static final AttributeKey<String> MODEL = AttributeKey.stringKey("gen_ai.request.model");
    public static final AttributeKey<Boolean> CACHED = AttributeKey.booleanKey("maspo.llm.cached");
    private static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
    private static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    private static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");

    private final Tracer tracer;
    private final TextMapPropagator propagator;

    public EvaluatorTracing(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer("ai.maspo.evaluator");
        this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
    }

    /** Starts a job's span under the context found in its record's headers; the caller ends it. */
    public Span job(Headers headers, String topic) {
        Context parent = headers == null ? Context.root() : propagator.extract(Context.root(), headers, KafkaTraceHeaders.INSTANCE);
        return tracer.spanBuilder("evaluate").setParent(parent).setSpanKind(SpanKind.CONSUMER)
                .setAttribute(SYSTEM, "kafka").setAttribute(DESTINATION, topic).startSpan();
    }

    /** Names the current job once its request is decoded. */
    public static void describeJob(String runId, String requestId, String kind) {
        Span.current().updateName("evaluate " + kind)
                .setAttribute(RUN_ID, runId).setAttribute(REQUEST_ID, requestId).setAttribute(JOB_KIND, kind);
    }

    /** Runs one agent of one question inside its own span. */
    public <T> T agent(String agentId, Supplier<T> work) {
        return within(tracer.spanBuilder("agent " + agentId).setAttribute(AGENT, agentId).startSpan(), work);
    }

    /** Runs one LLM call (cached or paid) inside its own span; the caller marks a cache hit with {@link #cached()}. */
    public <T> T llmCall(ModelRole role, String model, Supplier<T> work) {
        String roleName = role.name().toLowerCase();
        return within(tracer.spanBuilder("chat " + roleName).setSpanKind(SpanKind.CLIENT)
                .setAttribute(OPERATION, "chat").setAttribute(ROLE, roleName).setAttribute(MODEL, model)
                .startSpan(), work);
    }

    public static void cached() {
        Span.current().setAttribute(CACHED, true);
    }

    private static <T> T within(Span span, Supplier<T> work) {
        try (Scope ignored = span.makeCurrent()) {
            return work.get();
        } catch (RuntimeException e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR, e.getMessage());
            throw e;
        } finally {
            span.end();
        }
    }
}
