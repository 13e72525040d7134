package ai.maspo.orchestrator.messaging;

import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

import java.util.HashMap;
import java.util.Map;

/**
 * Settings for the Kafka clients this service builds itself (the outbox relay, the dead-letter operations): the
 * shared {@code kafka.*} configuration the connector's channels use too (bootstrap servers, security), so no
 * client hard-codes where or how to connect.
 */
@ApplicationScoped
public class KafkaClientConfig {

    private final Map<String, Object> shared;

    KafkaClientConfig(@Identifier("default-kafka-broker") Map<String, Object> shared) {
        this.shared = Map.copyOf(shared);
    }

    /** A producer that is acknowledged by all in-sync replicas and never duplicates on its own retries. */
    public Map<String, Object> producer(String clientId, Map<String, String> overrides) {
        Map<String, Object> c = base(clientId);
        c.putAll(overrides);
        c.put(ProducerConfig.ACKS_CONFIG, "all");
        c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        return c;
    }

    /** A consumer that reads assigned partitions and commits nothing (no group). */
    public Map<String, Object> reader(String clientId) {
        Map<String, Object> c = base(clientId);
        c.remove(ConsumerConfig.GROUP_ID_CONFIG);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return c;
    }

    public Map<String, Object> admin(String clientId) {
        return base(clientId);
    }

    private Map<String, Object> base(String clientId) {
        Map<String, Object> c = new HashMap<>(shared);
        c.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        return c;
    }
}
