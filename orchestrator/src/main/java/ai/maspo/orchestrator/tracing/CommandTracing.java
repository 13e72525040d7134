package ai.maspo.orchestrator.tracing;

import ai.maspo.protocol.KafkaTraceHeaders;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.header.Headers;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Carries a trace across the transactional outbox. A command is stored by one thread (an HTTP request, a reply's
 * ingest) and published later by the relay's, possibly after a restart: the storing span's W3C context is kept in the
 * command's row, and the relay's publish span continues it and puts it in the Kafka record's headers, where the
 * evaluator's and sampler's consumers pick it up. With tracing off (the default) every span is a no-op and nothing
 * is stored.
 */
@ApplicationScoped
public class CommandTracing {

    public static final AttributeKey<String> RUN_ID = AttributeKey.stringKey("maspo.run.id");
    public static final AttributeKey<String> COMMAND_ID = AttributeKey.stringKey("maspo.command.id");
    public static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("maspo.request.id");
    public static final AttributeKey<String> KIND = AttributeKey.stringKey("maspo.command.kind");
    private static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    private static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");

    private static final TextMapGetter<Map<String, String>> MAP_GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private static final AttributeKey<Long> BATCH_SIZE = AttributeKey.longKey("messaging.batch.message_count");
    /** Links per ingest span: enough to follow any answer of a usual batch back, bounded for a large one. */
    private static final int MAX_LINKS = 128;

    private final Tracer tracer;
    private final TextMapPropagator propagator;

    CommandTracing(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer("ai.maspo.orchestrator");
        this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
    }

    /**
     * Records that a command was stored, as a span under the current one (the request or ingest that needed it), and
     * returns that span's context to store with the command; null when tracing is off.
     */
    public String stored(String runId, String requestId, String commandId, String kind) {
        Span span = tracer.spanBuilder("dispatch " + kind)
                .setAttribute(RUN_ID, runId)
                .setAttribute(REQUEST_ID, requestId)
                .setAttribute(COMMAND_ID, commandId)
                .setAttribute(KIND, kind)
                .startSpan();
        try {
            Map<String, String> carrier = new HashMap<>();
            propagator.inject(Context.current().with(span), carrier, Map::put);
            return carrier.isEmpty() ? null : encode(carrier);
        } finally {
            span.end();
        }
    }

    /**
     * Starts the producer span of one command's publication, as a child of the span that stored it, and writes its
     * context into the record's headers. The caller ends the span once the broker answered.
     */
    public Span publishing(String storedContext, String topic, String requestId, Headers headers) {
        Context parent = storedContext == null ? Context.root()
                : propagator.extract(Context.root(), decode(storedContext), MAP_GETTER);
        Span span = tracer.spanBuilder("publish " + topic)
                .setParent(parent)
                .setSpanKind(SpanKind.PRODUCER)
                .setAttribute(SYSTEM, "kafka")
                .setAttribute(DESTINATION, topic)
                .setAttribute(REQUEST_ID, requestId)
                .startSpan();
        propagator.inject(parent.with(span), headers, KafkaTraceHeaders.INSTANCE);
        return span;
    }

    /**
     * Starts the span of ingesting one batch of answers, the context of the commands they lead to. It continues the
     * trace of the batch's first answer (the evaluator's job that produced it) and links to the others', so that each
     * job's trace leads back here. The caller ends it.
     */
    public Span ingesting(ConsumerRecords<String, String> records, String topic) {
        SpanBuilder builder = tracer.spanBuilder("ingest " + topic).setSpanKind(SpanKind.CONSUMER)
                .setAttribute(SYSTEM, "kafka").setAttribute(DESTINATION, topic)
                .setAttribute(BATCH_SIZE, (long) records.count());
        boolean first = true;
        int links = 0;
        for (ConsumerRecord<String, String> record : records) {
            SpanContext answer = Span.fromContext(propagator.extract(Context.root(), record.headers(), KafkaTraceHeaders.INSTANCE))
                    .getSpanContext();
            if (!answer.isValid()) {
                continue;
            }
            if (first) {
                builder.setParent(Context.root().with(Span.wrap(answer)));
                first = false;
            } else if (links++ < MAX_LINKS) {
                builder.addLink(answer);
            }
        }
        if (first) {
            builder.setNoParent();
        }
        return builder.startSpan();
    }

    /** traceparent, then tracestate when present: the two W3C fields, one per line. */
    private static String encode(Map<String, String> carrier) {
        StringBuilder out = new StringBuilder();
        for (String key : List.of("traceparent", "tracestate")) {
            String value = carrier.get(key);
            if (value != null) {
                out.append(key).append(':').append(value).append('\n');
            }
        }
        return out.toString();
    }

    private static Map<String, String> decode(String stored) {
        Map<String, String> carrier = new HashMap<>();
        stored.lines().forEach(line -> {
            int colon = line.indexOf(':');
            if (colon > 0) {
                carrier.put(line.substring(0, colon), line.substring(colon + 1));
            }
        });
        return carrier;
    }
}
