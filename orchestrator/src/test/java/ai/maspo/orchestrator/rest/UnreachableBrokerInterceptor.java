package ai.maspo.orchestrator.rest;

import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Makes the outbox producer's next sends of records containing a marker fail as they do when the broker cannot be
 * reached: the record is aimed at a partition the broker does not have, so the producer waits for metadata that never
 * comes and fails the send after max.block.ms. Everything after the send (the relay's retry, backoff, order) is real.
 */
public class UnreachableBrokerInterceptor implements ProducerInterceptor<String, String> {

    private static final AtomicReference<String> MARKER = new AtomicReference<>();
    private static final AtomicInteger FAILURES_LEFT = new AtomicInteger();
    private static final AtomicInteger FAILED = new AtomicInteger();

    static void failNext(String marker, int times) {
        FAILED.set(0);
        FAILURES_LEFT.set(times);
        MARKER.set(marker);
    }

    static int failed() {
        return FAILED.get();
    }

    @Override
    public ProducerRecord<String, String> onSend(ProducerRecord<String, String> record) {
        String marker = MARKER.get();
        if (marker != null && record.value() != null && record.value().contains(marker)
                && FAILURES_LEFT.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            FAILED.incrementAndGet();
            return new ProducerRecord<>(record.topic(), 1000, record.key(), record.value());
        }
        return record;
    }

    @Override
    public void onAcknowledgement(RecordMetadata metadata, Exception exception) {
    }

    @Override
    public void close() {
    }

    @Override
    public void configure(Map<String, ?> configs) {
    }
}
