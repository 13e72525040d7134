package ai.maspo.infra.test;

import ai.maspo.infra.KafkaBroker;
import ai.maspo.infra.KafkaClients;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;

/**
 * Talks to the test broker as another service would: plain Kafka clients, JSON strings. It plays every other
 * party, so it connects as the broker's super user {@link KafkaBroker#ADMIN}, which no service is. Tests share
 * one broker, so reads start at the beginning of a topic and keep only the records a test is looking for.
 */
public final class TopicProbe {

    private TopicProbe() {
    }

    public static void send(String topic, String key, String value) {
        try (var producer = KafkaClients.create(() -> new KafkaProducer<>(KafkaClients.config(adminWith(Map.of(
                ProducerConfig.ACKS_CONFIG, "all"))), new StringSerializer(), new StringSerializer()))) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("could not send to " + topic, e);
        }
    }

    /** Waits until {@code count} records of {@code topic} match, and returns them in log order per partition. */
    public static List<ConsumerRecord<String, String>> await(String topic, Predicate<ConsumerRecord<String, String>> match,
                                                             int count, Duration timeout) {
        List<ConsumerRecord<String, String>> found = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (var consumer = KafkaClients.create(() -> new KafkaConsumer<>(KafkaClients.config(adminWith(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, "probe-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"))), new StringDeserializer(), new StringDeserializer()))) {
            consumer.subscribe(List.of(topic));
            while (found.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (match.test(r)) {
                        found.add(r);
                    }
                });
            }
        }
        if (found.size() < count) {
            throw new AssertionError("expected " + count + " matching records on " + topic + " within " + timeout
                    + ", found " + found.size());
        }
        return found;
    }

    private static Map<String, Object> adminWith(Map<String, Object> settings) {
        Map<String, Object> config = new HashMap<>(KafkaTestResource.clientConfig(KafkaBroker.ADMIN));
        config.putAll(settings);
        return config;
    }
}
