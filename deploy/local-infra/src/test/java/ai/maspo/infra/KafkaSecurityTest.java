package ai.maspo.infra;

import ai.maspo.protocol.Topics;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static ai.maspo.infra.KafkaBrokerTest.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The local broker refuses clients that do not authenticate, and each service's user gets its own flows only. */
class KafkaSecurityTest {

    private static KafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = KafkaBroker.start();
        broker.createMaspoTopics(2);
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void aClientWithoutSaslIsRefused() {
        Map<String, Object> plaintext = Map.of(
                CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
        // The SASL listener drops a connection that does not start with a SASL handshake: nothing is ever answered.
        try (Admin admin = Admin.create(KafkaClients.config(plaintext))) {
            assertThatThrownBy(() -> admin.listTopics().names().get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);
        }
    }

    @Test
    void aWrongPasswordIsRefused() {
        Map<String, Object> config = new HashMap<>(KafkaBroker.clientConfig(broker.bootstrapServers(), "evaluator", "guessed"));
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000);
        try (Admin admin = Admin.create(KafkaClients.config(config))) {
            assertThatThrownBy(() -> admin.listTopics().names().get(15, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
        }
    }

    @Test
    void servicesCannotWriteTopicsOfOtherFlows() {
        // The forgeries of the security review: an evaluator or a sampler posing as the orchestrator, an
        // evaluator posing as the sampler.
        assertWriteDenied("evaluator", Topics.MINIBATCHES);
        assertWriteDenied("evaluator", Topics.EVALUATION_REQUESTS);
        assertWriteDenied("evaluator", Topics.MINIBATCH_REQUESTS);
        assertWriteDenied("sampler", Topics.EVALUATION_REQUESTS);
        assertWriteDenied("sampler", Topics.MINIBATCH_REQUESTS);
        // (the orchestrator may write the answer topics it consumes: its operators' dead-letter replay; KafkaAccess)
        assertWriteDenied("sampler", Topics.EVALUATION_RESULTS);
        assertWriteDenied("evaluator", Topics.deadLetter(Topics.MINIBATCH_REQUESTS));
    }

    @Test
    void theEvaluatorCannotReadTheSamplersCommands() {
        try (var consumer = consumer("evaluator", KafkaAccess.EVALUATOR.group())) {
            consumer.subscribe(List.of(Topics.MINIBATCH_REQUESTS));
            assertThatThrownBy(() -> {
                for (int i = 0; i < 50; i++) {
                    consumer.poll(Duration.ofMillis(200));
                }
            }).isInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void eachServiceCarriesOutItsOwnFlowsWithIdempotentProducers() throws Exception {
        for (KafkaAccess service : KafkaAccess.SERVICES) {
            List<String> writable = new ArrayList<>(service.writes());
            service.reads().forEach(t -> writable.add(Topics.deadLetter(t)));
            try (var producer = producer(service.user())) {
                for (String topic : writable) {
                    producer.send(new ProducerRecord<>(topic, "k", "v")).get(30, TimeUnit.SECONDS);
                }
            }
            String marker = "from-admin-" + UUID.randomUUID();
            try (var producer = producer(KafkaBroker.ADMIN)) {
                for (String topic : service.reads()) {
                    producer.send(new ProducerRecord<>(topic, marker, marker)).get(30, TimeUnit.SECONDS);
                }
            }
            List<ConsumerRecord<String, String>> received = new ArrayList<>();
            try (var consumer = consumer(service.user(), service.group())) {
                consumer.subscribe(service.reads());
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (received.size() < service.reads().size() && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                        if (marker.equals(r.key())) {
                            received.add(r);
                        }
                    });
                }
                consumer.commitSync();
            }
            assertThat(received).as(service.user() + " reads its topics in its group")
                    .extracting(ConsumerRecord::topic).containsExactlyInAnyOrderElementsOf(service.reads());
        }
    }

    private static void assertWriteDenied(String user, String topic) {
        try (var producer = producer(user)) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topic, "forged", "{}")).get(30, TimeUnit.SECONDS))
                    .as(user + " writing " + topic)
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
        }
    }

    private static KafkaProducer<String, String> producer(String user) {
        Map<String, Object> config = with(broker.clientConfig(user), ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 20000);
        return new KafkaProducer<>(KafkaClients.config(config), new StringSerializer(), new StringSerializer());
    }

    private static KafkaConsumer<String, String> consumer(String user, String group) {
        Map<String, Object> config = with(broker.clientConfig(user), ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(KafkaClients.config(config), new StringDeserializer(), new StringDeserializer());
    }
}
