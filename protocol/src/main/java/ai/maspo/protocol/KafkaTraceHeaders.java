package ai.maspo.protocol;

import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * How a trace context rides a Kafka record between the services: the W3C fields ({@code traceparent},
 * {@code tracestate}) as UTF-8 headers, one value per key (a re-sent record's is replaced, not added).
 */
public final class KafkaTraceHeaders implements TextMapGetter<Headers>, TextMapSetter<Headers> {

    public static final KafkaTraceHeaders INSTANCE = new KafkaTraceHeaders();

    private KafkaTraceHeaders() {
    }

    @Override
    public Iterable<String> keys(Headers carrier) {
        List<String> keys = new ArrayList<>();
        carrier.forEach(h -> keys.add(h.key()));
        return keys;
    }

    @Override
    public String get(Headers carrier, String key) {
        Header header = carrier == null ? null : carrier.lastHeader(key);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void set(Headers carrier, String key, String value) {
        if (carrier != null) {
            carrier.remove(key).add(key, value.getBytes(StandardCharsets.UTF_8));
        }
    }
}
