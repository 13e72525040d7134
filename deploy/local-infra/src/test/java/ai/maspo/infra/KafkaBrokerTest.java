package ai.maspo.infra;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaBrokerTest {

    @Test
    void brokerCarriesARecordAndLeavesNothingBehind() throws Exception {
        String topic = "maspo.evaluation-requests";
        String payload = "payload-" + UUID.randomUUID();
        ProcessHandle brokerProcess;
        Path dataDir;
        try (KafkaBroker broker = KafkaBroker.start()) {
            brokerProcess = broker.process().handle();
            dataDir = Path.of(broker.process().logFile().getParent().toString());
            broker.createMaspoTopics(4);
            broker.createMaspoTopics(4); // idempotent: a second call must not fail on existing topics

            try (Admin admin = Admin.create(broker.clientConfig(KafkaBroker.ADMIN))) {
                var topics = admin.describeTopics(KafkaBroker.maspoTopicNames()).allTopicNames().get();
                assertThat(topics).containsOnlyKeys(KafkaBroker.maspoTopicNames());
                assertThat(topics.values()).allSatisfy(d -> assertThat(d.partitions()).hasSize(4));
            }

            try (var producer = new KafkaProducer<String, String>(with(broker.clientConfig("orchestrator"),
                    ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>(topic, "run-1", payload)).get();
            }
            List<ConsumerRecord<String, String>> received = new ArrayList<>();
            try (var consumer = new KafkaConsumer<String, String>(with(broker.clientConfig("evaluator"),
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
                // assign() rather than subscribe(): no consumer-group round trips, the test stays fast.
                consumer.assign(consumer.partitionsFor(topic).stream()
                        .map(p -> new TopicPartition(topic, p.partition())).toList());
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (received.isEmpty() && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(200)).forEach(received::add);
                }
            }
            assertThat(received).singleElement().satisfies(r -> {
                assertThat(r.key()).isEqualTo("run-1");
                assertThat(r.value()).isEqualTo(payload);
            });
        }
        assertThat(brokerProcess.isAlive()).isFalse();
        assertThat(Files.exists(dataDir)).isFalse();
    }

    static Map<String, Object> with(Map<String, Object> config, String key, Object value) {
        Map<String, Object> copy = new HashMap<>(config);
        copy.put(key, value);
        return copy;
    }
}
