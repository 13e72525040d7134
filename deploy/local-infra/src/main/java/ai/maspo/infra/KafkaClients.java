package ai.maspo.infra;

import org.apache.kafka.clients.CommonClientConfigs;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Kafka clients load their plug-ins (metrics reporters, serializers) through the thread's context class loader.
 * Inside a Quarkus test that loader is the application's, which holds a second copy of kafka-clients, so the
 * plug-ins would not fit the client: create clients with the loader they were themselves loaded by.
 */
public final class KafkaClients {

    private KafkaClients() {
    }

    /**
     * The given client settings without metrics reporters: their classes are loaded by name, which is what
     * fails when a test application's loader holds a second copy of kafka-clients.
     */
    public static Map<String, Object> config(Map<String, Object> settings) {
        Map<String, Object> config = new HashMap<>(settings);
        config.put(CommonClientConfigs.METRIC_REPORTER_CLASSES_CONFIG, "");
        return config;
    }

    public static <T> T create(Supplier<T> factory) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(CommonClientConfigs.class.getClassLoader());
        try {
            return factory.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
