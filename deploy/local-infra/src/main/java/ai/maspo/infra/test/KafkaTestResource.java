package ai.maspo.infra.test;

import ai.maspo.infra.KafkaAccess;
import ai.maspo.infra.KafkaBroker;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * One real Kafka broker per test JVM, shared by every test class that uses this resource, with the
 * MASPO topics (and their dead-letter twins) on 4 partitions. It is started on first use and stopped
 * by a JVM shutdown hook, not by {@link #stop()}: restarting a broker per test class would cost
 * seconds each time. Tests sharing it use unique run ids or group ids.
 * <p>
 * The application under test connects as the Kafka user named by the init arg {@value #USER_ARG} (a service:
 * {@code orchestrator}, {@code evaluator}, {@code sampler}), so it has that service's ACLs and no more. A test
 * that plays another party uses {@link #clientConfig(String)} with that party's user or {@link KafkaBroker#ADMIN}.
 */
public class KafkaTestResource implements QuarkusTestResourceLifecycleManager {
    public static final int PARTITIONS = 4;
    public static final String USER_ARG = "user";
    /**
     * The JVM-wide record of the running broker and its users' passwords. Quarkus may load this class in several
     * class loaders (one per test application), so a static field alone would start one broker per loader.
     */
    public static final String BOOTSTRAP_PROPERTY = "maspo.test.kafka.bootstrap.servers";
    private static final String PASSWORD_PROPERTY_PREFIX = "maspo.test.kafka.password.";

    private String user;

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
            System.setProperty(PASSWORD_PROPERTY_PREFIX + KafkaBroker.ADMIN, broker.password(KafkaBroker.ADMIN));
            KafkaAccess.SERVICES.forEach(s -> System.setProperty(PASSWORD_PROPERTY_PREFIX + s.user(), broker.password(s.user())));
            System.setProperty(BOOTSTRAP_PROPERTY, broker.bootstrapServers());
            return broker.bootstrapServers();
        }
    }

    /** The password of a Kafka user of this JVM's test broker. */
    public static String password(String user) {
        bootstrapServers();
        String password = System.getProperty(PASSWORD_PROPERTY_PREFIX + user);
        if (password == null) {
            throw new IllegalArgumentException("no Kafka user '" + user + "' on the test broker");
        }
        return password;
    }

    /** Settings for a plain Kafka client of the test broker authenticating as {@code user}. */
    public static Map<String, Object> clientConfig(String user) {
        return KafkaBroker.clientConfig(bootstrapServers(), user, password(user));
    }

    @Override
    public void init(Map<String, String> initArgs) {
        String service = initArgs.get(USER_ARG);
        if (service == null) {
            throw new IllegalArgumentException("KafkaTestResource needs initArgs = @ResourceArg(name = \"" + USER_ARG
                    + "\", value = <the service under test>): " + KafkaAccess.SERVICES.stream().map(KafkaAccess::user).toList());
        }
        user = KafkaAccess.of(service).user();
    }

    @Override
    public Map<String, String> start() {
        return Map.of(
                "kafka.bootstrap.servers", bootstrapServers(),
                "kafka.sasl.username", user,
                "kafka.sasl.password", password(user));
    }

    @Override
    public void stop() {
        // Shared for the whole JVM: see the class comment.
    }
}
