package ai.maspo.infra.test;

import ai.maspo.infra.KafkaBroker;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * One real Kafka broker per test JVM, shared by every test class that uses this resource, with the
 * MASPO topics (and their dead-letter twins) on 4 partitions. It is started on first use and stopped
 * by a JVM shutdown hook, not by {@link #stop()}: restarting a broker per test class would cost
 * seconds each time. Tests sharing it use unique run ids or group ids.
 */
public class KafkaTestResource implements QuarkusTestResourceLifecycleManager {
    public static final int PARTITIONS = 4;
    /**
     * The JVM-wide record of the running broker. Quarkus may load this class in several class loaders
     * (one per test application), so a static field alone would start one broker per loader.
     */
    public static final String BOOTSTRAP_PROPERTY = "maspo.test.kafka.bootstrap.servers";

    /** The bootstrap servers of this JVM's test broker, starting it on first use. */
    public static String bootstrapServers() {
        synchronized (System.getProperties()) {
            String running = System.getProperty(BOOTSTRAP_PROPERTY);
            if (running != null) {
                return running;
            }
            KafkaBroker broker = KafkaBroker.start();
            Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "maspo-test-kafka-stop"));
            broker.createMaspoTopics(PARTITIONS);
            System.setProperty(BOOTSTRAP_PROPERTY, broker.bootstrapServers());
            return broker.bootstrapServers();
        }
    }

    @Override
    public Map<String, String> start() {
        return Map.of("kafka.bootstrap.servers", bootstrapServers());
    }

    @Override
    public void stop() {
        // Shared for the whole JVM: see the class comment.
    }
}
