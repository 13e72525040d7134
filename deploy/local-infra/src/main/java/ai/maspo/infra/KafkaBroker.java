package ai.maspo.infra;

import ai.maspo.protocol.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node Kafka broker (KRaft, broker and controller roles) running as a separate java
 * process from the jars in deploy/kafka-broker/target/lib, on free ports of 127.0.0.1, with a fresh
 * data folder that {@link #close()} deletes. {@link #kill()} and {@link #restart()} crash it and start it again
 * on the same ports and data folder, as a broker restart in production keeps its log.
 */
public final class KafkaBroker implements AutoCloseable {
    /** The broker must be the kafka-clients version of the Quarkus BOM; this is the one deploy/kafka-broker copies. */
    private static final String KAFKA_VERSION = org.apache.kafka.common.utils.AppInfoParser.getVersion();
    /** Scaled with the machine's load ({@link ReadinessDeadline}): a fixed 60 s failed 7 of 21 starts under load. */
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    /**
     * A small heap and the C1-only JIT: a local broker carries little traffic, and on a busy 2-core machine
     * C2 compilation more than doubled its start-up time (about 24 s against 10 s measured at load 10).
     */
    private static final List<String> JVM_OPTIONS = List.of("-Xms64m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    private volatile ChildProcess process;
    private final Path dataDir;
    private final String bootstrapServers;
    private final List<String> brokerCommand;
    private final Path logFile;

    private KafkaBroker(ChildProcess process, Path dataDir, String bootstrapServers, List<String> brokerCommand, Path logFile) {
        this.process = process;
        this.dataDir = dataDir;
        this.bootstrapServers = bootstrapServers;
        this.brokerCommand = brokerCommand;
        this.logFile = logFile;
    }

    /** Starts a broker with the jars found by {@link ProjectLayout#kafkaLibDir()} in a fresh temp folder. */
    public static KafkaBroker start() {
        try {
            return start(ProjectLayout.kafkaLibDir(), Files.createTempDirectory("maspo-kafka-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a broker storing its data (and its log, broker.log) in {@code dataDir}, which close() deletes. */
    public static KafkaBroker start(Path libDir, Path dataDir) {
        return start(libDir, dataDir, dataDir.resolve("broker.log"));
    }

    /** As {@link #start(Path, Path)}, with the broker's output in {@code logFile} (kept if outside dataDir). */
    public static KafkaBroker start(Path libDir, Path dataDir, Path logFile) {
        if (!Files.isRegularFile(libDir.resolve("kafka_2.13-" + KAFKA_VERSION + ".jar"))) {
            throw new IllegalStateException("Kafka broker jars not found in " + libDir
                    + "; build them with ./mvnw -B -q -pl deploy/kafka-broker install");
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return startOnFreePorts(libDir, dataDir, logFile);
            } catch (IllegalStateException e) {
                // The ports are chosen seconds before the broker's JVM binds them; another process may take one.
                if (attempt == 3 || !String.valueOf(e.getMessage()).contains("Address already in use")) {
                    throw e;
                }
            }
        }
    }

    private static KafkaBroker startOnFreePorts(Path libDir, Path dataDir, Path logFile) {
        int brokerPort = ProjectLayout.freePort();
        int controllerPort = ProjectLayout.freePort();
        String bootstrap = "127.0.0.1:" + brokerPort;
        String classpath = libDir.toAbsolutePath() + "/*";
        Path config = dataDir.resolve("server.properties");
        try {
            Files.createDirectories(dataDir);
            Files.writeString(config, serverProperties(dataDir.resolve("kraft"), brokerPort, controllerPort));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare Kafka data folder " + dataDir, e);
        }

        ChildProcess format = ChildProcess.start("kafka-storage-format", javaCommand(classpath, "kafka.tools.StorageTool",
                "format", "-t", Uuid.randomUuid().toString(), "-c", config.toString()), Map.of(), logFile);
        if (format.awaitExit(Duration.ofSeconds(60)) != 0) {
            throw new IllegalStateException("formatting Kafka storage failed:\n" + format.logTail(30));
        }

        List<String> brokerCommand = javaCommand(classpath, "kafka.Kafka", config.toString());
        ChildProcess broker = ChildProcess.start("kafka-broker", brokerCommand, Map.of(), logFile);
        KafkaBroker started = new KafkaBroker(broker, dataDir, bootstrap, brokerCommand, logFile);
        try {
            started.awaitReady();
            return started;
        } catch (RuntimeException e) {
            started.close();
            throw e;
        }
    }

    private static List<String> javaCommand(String classpath, String mainClass, String... args) {
        List<String> command = new ArrayList<>();
        command.add(ChildProcess.javaExecutable());
        command.addAll(JVM_OPTIONS);
        command.addAll(List.of("-cp", classpath, mainClass));
        command.addAll(List.of(args));
        return command;
    }

    private static String serverProperties(Path logDir, int brokerPort, int controllerPort) {
        return """
                process.roles=broker,controller
                node.id=1
                controller.quorum.voters=1@127.0.0.1:%2$d
                listeners=PLAINTEXT://127.0.0.1:%1$d,CONTROLLER://127.0.0.1:%2$d
                advertised.listeners=PLAINTEXT://127.0.0.1:%1$d
                controller.listener.names=CONTROLLER
                inter.broker.listener.name=PLAINTEXT
                listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
                log.dirs=%3$s
                num.partitions=4
                offsets.topic.replication.factor=1
                offsets.topic.num.partitions=4
                transaction.state.log.replication.factor=1
                transaction.state.log.min.isr=1
                share.coordinator.state.topic.replication.factor=1
                share.coordinator.state.topic.min.isr=1
                group.initial.rebalance.delay.ms=0
                """.formatted(brokerPort, controllerPort, logDir.toAbsolutePath());
    }

    /** Waits for the listener port (cheap, silent), then for the broker to answer describeCluster. */
    private void awaitReady() {
        ReadinessDeadline deadline = ReadinessDeadline.start(READY_TIMEOUT);
        String[] hostPort = bootstrapServers.split(":");
        while (!portOpen(hostPort[0], Integer.parseInt(hostPort[1]))) {
            failIfDeadOrLate(deadline, null);
            sleep(100);
        }
        try (Admin admin = admin()) {
            while (true) {
                try {
                    admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                    return;
                } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                    failIfDeadOrLate(deadline, e);
                    sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the Kafka broker", e);
                }
            }
        }
    }

    private void failIfDeadOrLate(ReadinessDeadline deadline, Exception cause) {
        if (!process.isAlive()) {
            throw new IllegalStateException("Kafka broker exited during start-up:\n" + process.logTail(40), cause);
        }
        if (deadline.passed()) {
            throw new IllegalStateException("Kafka broker not ready after " + deadline.limit().toSeconds() + " s:\n"
                    + process.logTail(40), cause);
        }
    }

    private static boolean portOpen(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private Admin admin() {
        return KafkaClients.create(() -> Admin.create(KafkaClients.config(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000))));
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public ChildProcess process() {
        return process;
    }

    /** Creates the topics that do not exist yet (replication factor 1); existing ones are left as they are. */
    public void createTopics(Collection<String> names, int partitions) {
        try (Admin admin = admin()) {
            Set<String> existing = admin.listTopics().names().get(10, TimeUnit.SECONDS);
            List<NewTopic> missing = names.stream().distinct().filter(n -> !existing.contains(n))
                    .map(n -> new NewTopic(n, partitions, (short) 1)).toList();
            for (var result : admin.createTopics(missing).values().values()) {
                try {
                    result.get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create topics " + names + " on " + bootstrapServers, e);
        }
    }

    /** The MASPO topics ({@link Topics#ALL}) and their dead-letter twins. */
    public void createMaspoTopics(int partitions) {
        createTopics(maspoTopicNames(), partitions);
    }

    public static List<String> maspoTopicNames() {
        List<String> names = new ArrayList<>(Topics.ALL);
        Topics.ALL.forEach(t -> names.add(Topics.deadLetter(t)));
        return names;
    }

    /** SIGKILL without warning, as a crash would; the data folder and ports stay for {@link #restart()}. */
    public synchronized void kill() {
        process.kill();
    }

    /** Starts the broker again on the same ports and data folder (formatted already) and waits until it answers. */
    public synchronized void restart() {
        if (process.isAlive()) {
            throw new IllegalStateException("Kafka broker is still running");
        }
        process = ChildProcess.start("kafka-broker", brokerCommand, Map.of(), logFile);
        awaitReady();
    }

    /** Stops the broker (SIGTERM, then SIGKILL after a grace period) and deletes the data folder. */
    @Override
    public void close() {
        process.stop(Duration.ofSeconds(10));
        ProjectLayout.deleteRecursively(dataDir);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
