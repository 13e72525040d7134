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

    /** kill -9 of the broker, then a restart: same bootstrap address, and a record written before is still there. */
    @Test
    void killedBrokerRestartsOnTheSamePortWithItsLog() throws Exception {
        String topic = "maspo.minibatches";
        String payload = "survivor-" + UUID.randomUUID();
        try (KafkaBroker broker = KafkaBroker.start()) {
            broker.createMaspoTopics(1);
            try (var producer = new KafkaProducer<String, String>(with(broker.clientConfig(KafkaBroker.ADMIN),
                    ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>(topic, "run-1", payload)).get();
            }
            ProcessHandle before = broker.process().handle();
            String bootstrap = broker.bootstrapServers();

            broker.kill();
            assertThat(before.isAlive()).isFalse();
            broker.restart();

            assertThat(broker.process().handle().pid()).isNotEqualTo(before.pid());
            assertThat(broker.bootstrapServers()).isEqualTo(bootstrap);
            List<String> received = new ArrayList<>();
            try (var consumer = new KafkaConsumer<String, String>(with(broker.clientConfig(KafkaBroker.ADMIN),
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
                consumer.assign(List.of(new TopicPartition(topic, 0)));
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (received.isEmpty() && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(200)).forEach(r -> received.add(r.value()));
                }
            }
            assertThat(received).containsExactly(payload);
        }
    }

    static Map<String, Object> with(Map<String, Object> config, String key, Object value) {
        Map<String, Object> copy = new HashMap<>(config);
        copy.put(key, value);
        return copy;
    }
}
