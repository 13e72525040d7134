package ai.maspo.orchestrator.ops;

import ai.maspo.orchestrator.messaging.KafkaClientConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Dead-letter topics ({@code <topic>.dlq}, where the services' consumers put records they refuse) read and replayed
 * for operators: replay re-publishes a record, or a corrected payload, to the topic it came from with the same key;
 * receivers are idempotent by request id, so a replay of something already applied changes nothing. Readers and
 * producers are short-lived (one per call): these are rare operator actions; the admin client that counts the records
 * is kept (a new one per gauge refresh would log its whole configuration each time).
 */
@ApplicationScoped
public class DeadLetterArchive {

    public static final String SUFFIX = ".dlq";
    /** Most records one listing returns and one replay re-publishes. */
    public static final int MAX_LIST = 500;
    public static final int MAX_REPLAY = 1000;
    /** A listed payload is cut to this many characters (its full length is reported). */
    static final int PAYLOAD_PREVIEW = 2000;
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final KafkaClientConfig kafka;
    private Admin admin;

    DeadLetterArchive(KafkaClientConfig kafka) {
        this.kafka = kafka;
    }

    public record TopicSummary(String topic, String originalTopic, long records) {
    }

    public record DeadLetter(int partition, long offset, String key, Instant timestamp, Map<String, String> headers,
                             String payload, int payloadLength) {
    }

    /** Where to resume a listing of one partition. */
    public record Page(String topic, List<DeadLetter> records, Map<Integer, Long> nextOffsets) {
    }

    public record Selection(int partition, long offset, String payload) {
    }

    public record Replayed(String topic, String toTopic, int replayed) {
    }

    /**
     * Every dead-letter topic with the records it holds, by name. Also read every few seconds for the gauges
     * ({@code PlatformGauges}), hence on the one long-lived admin client.
     */
    public List<TopicSummary> topics() {
        try {
            Admin admin = admin();
            List<String> names = admin.listTopics().names().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).stream()
                    .filter(t -> t.endsWith(SUFFIX)).sorted().toList();
            Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(names).allTopicNames().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).values()
                    .forEach(topic -> topic.partitions().forEach(p -> {
                        TopicPartition partition = new TopicPartition(topic.name(), p.partition());
                        earliest.put(partition, OffsetSpec.earliest());
                        latest.put(partition, OffsetSpec.latest());
                    }));
            var begin = admin.listOffsets(earliest).all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            var end = admin.listOffsets(latest).all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            Map<String, Long> records = new HashMap<>();
            end.forEach((partition, offset) -> records.merge(partition.topic(),
                    offset.offset() - begin.get(partition).offset(), Long::sum));
            return names.stream().map(n -> new TopicSummary(n, original(n), records.getOrDefault(n, 0L))).toList();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot list topics: " + e.getMessage(), e);
        }
    }

    private synchronized Admin admin() {
        if (admin == null) {
            admin = Admin.create(kafka.admin("maspo-dlq-admin"));
        }
        return admin;
    }

    @PreDestroy
    synchronized void close() {
        if (admin != null) {
            admin.close(TIMEOUT);
        }
    }

    /**
     * Up to {@code limit} records from {@code offset} on, of one partition or of each; empty if the topic does not
     * exist. Ordered by partition and offset.
     */
    public Optional<Page> list(String topic, Integer partition, long offset, int limit) {
        try (var consumer = reader()) {
            Optional<List<TopicPartition>> all = partitions(consumer, topic);
            if (all.isEmpty()) {
                return Optional.empty();
            }
            List<TopicPartition> chosen = all.get().stream().filter(p -> partition == null || p.partition() == partition)
                    .toList();
            if (chosen.isEmpty()) {
                throw new InvalidOpsRequestException("partition", "topic " + topic + " has partitions 0.."
                        + (all.get().size() - 1));
            }
            Map<TopicPartition, Long> end = consumer.endOffsets(chosen, TIMEOUT);
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(chosen, TIMEOUT);
            List<DeadLetter> found = new ArrayList<>();
            Map<Integer, Long> next = new LinkedHashMap<>();
            for (TopicPartition p : chosen) {
                long from = Math.max(offset, begin.get(p));
                List<ConsumerRecord<String, String>> records = read(consumer, p, from, end.get(p),
                        limit - found.size());
                records.forEach(r -> found.add(preview(r)));
                next.put(p.partition(), records.isEmpty() ? from : records.getLast().offset() + 1);
                if (found.size() >= limit) {
                    break;
                }
            }
            return Optional.of(new Page(topic, found, next));
        }
    }

    /** Re-publishes every record of the topic; refused when there are more than {@value #MAX_REPLAY}. */
    public Optional<Replayed> replayAll(String topic) {
        try (var consumer = reader()) {
            Optional<List<TopicPartition>> all = partitions(consumer, topic);
            if (all.isEmpty()) {
                return Optional.empty();
            }
            Map<TopicPartition, Long> end = consumer.endOffsets(all.get(), TIMEOUT);
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(all.get(), TIMEOUT);
            long count = all.get().stream().mapToLong(p -> end.get(p) - begin.get(p)).sum();
            if (count > MAX_REPLAY) {
                throw new InvalidOpsRequestException("all", count + " records exceed the limit of " + MAX_REPLAY
                        + " per replay: select offsets instead");
            }
            List<ProducerRecord<String, String>> out = new ArrayList<>();
            for (TopicPartition p : all.get()) {
                read(consumer, p, begin.get(p), end.get(p), MAX_REPLAY)
                        .forEach(r -> out.add(replayOf(topic, r, r.value())));
            }
            return Optional.of(publish(topic, out));
        }
    }

    /** Re-publishes the selected records, each with its own payload unless a corrected one is given. */
    public Optional<Replayed> replay(String topic, List<Selection> selections) {
        try (var consumer = reader()) {
            Optional<List<TopicPartition>> all = partitions(consumer, topic);
            if (all.isEmpty()) {
                return Optional.empty();
            }
            Map<TopicPartition, Long> end = consumer.endOffsets(all.get(), TIMEOUT);
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(all.get(), TIMEOUT);
            List<ProducerRecord<String, String>> out = new ArrayList<>();
            for (int i = 0; i < selections.size(); i++) {
                Selection s = selections.get(i);
                if (s.partition() < 0 || s.partition() >= all.get().size()) {
                    throw new InvalidOpsRequestException("records[" + i + "].partition", "topic " + topic
                            + " has partitions 0.." + (all.get().size() - 1));
                }
                TopicPartition p = new TopicPartition(topic, s.partition());
                List<ConsumerRecord<String, String>> found = s.offset() < begin.get(p) || s.offset() >= end.get(p)
                        ? List.of() : read(consumer, p, s.offset(), s.offset() + 1, 1);
                if (found.isEmpty() || found.getFirst().offset() != s.offset()) {
                    throw new InvalidOpsRequestException("records[" + i + "].offset", "no record at offset "
                            + s.offset() + " of partition " + s.partition());
                }
                ConsumerRecord<String, String> r = found.getFirst();
                out.add(replayOf(topic, r, s.payload() == null ? r.value() : s.payload()));
            }
            return Optional.of(publish(topic, out));
        }
    }

    /** The topic a dead-letter topic's records came from: its name without the suffix (not a header a record carries). */
    static String original(String topic) {
        return topic.substring(0, topic.length() - SUFFIX.length());
    }

    private static ProducerRecord<String, String> replayOf(String topic, ConsumerRecord<String, String> r, String payload) {
        ProducerRecord<String, String> record = new ProducerRecord<>(original(topic), r.key(), payload);
        record.headers().add("maspo-replayed-from", (topic + "/" + r.partition() + "/" + r.offset())
                .getBytes(StandardCharsets.UTF_8));
        return record;
    }

    private Replayed publish(String topic, List<ProducerRecord<String, String>> records) {
        try (var producer = new KafkaProducer<>(kafka.producer("maspo-dlq-replay", Map.of()), new StringSerializer(),
                new StringSerializer())) {
            List<Future<RecordMetadata>> sends = records.stream().map(producer::send).toList();
            for (Future<RecordMetadata> send : sends) {
                send.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
            return new Replayed(topic, original(topic), records.size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("replay to " + original(topic) + " failed: " + e.getMessage(), e);
        }
    }

    private KafkaConsumer<String, String> reader() {
        return new KafkaConsumer<>(kafka.reader("maspo-dlq-reader"), new StringDeserializer(), new StringDeserializer());
    }

    private static Optional<List<TopicPartition>> partitions(KafkaConsumer<String, String> consumer, String topic) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, TIMEOUT);
        if (infos == null || infos.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(infos.stream().map(i -> new TopicPartition(topic, i.partition()))
                .sorted(Comparator.comparingInt(TopicPartition::partition)).toList());
    }

    /** Records of one partition in [from, end), at most {@code max}. */
    private static List<ConsumerRecord<String, String>> read(KafkaConsumer<String, String> consumer, TopicPartition p,
                                                             long from, long end, int max) {
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        if (from >= end || max <= 0) {
            return out;
        }
        consumer.assign(List.of(p));
        consumer.seek(p, from);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (out.size() < max && consumer.position(p) < end && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200)).records(p)) {
                if (r.offset() < end && out.size() < max) {
                    out.add(r);
                }
            }
        }
        return out;
    }

    private static DeadLetter preview(ConsumerRecord<String, String> r) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header h : r.headers()) {
            headers.put(h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
        }
        String value = r.value() == null ? "" : r.value();
        return new DeadLetter(r.partition(), r.offset(), r.key(), Instant.ofEpochMilli(r.timestamp()), headers,
                value.length() > PAYLOAD_PREVIEW ? value.substring(0, PAYLOAD_PREVIEW) : value, value.length());
    }
}
