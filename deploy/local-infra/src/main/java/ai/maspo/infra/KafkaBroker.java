package ai.maspo.infra;

import ai.maspo.protocol.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node Kafka broker (KRaft, broker and controller roles) running as a separate java
 * process from the jars in deploy/kafka-broker/target/lib, on free ports of 127.0.0.1, with a fresh
 * data folder that {@link #close()} deletes (or, for the long-running platform, a kept one: {@link #startPersistent}). {@link #kill()} and {@link #restart()} crash it and start it again
 * on the same ports and data folder, as a broker restart in production keeps its log.
 * <p>
 * Secured as a production cluster should be: clients authenticate with SASL/SCRAM-SHA-512 and the KRaft
 * StandardAuthorizer denies whatever no ACL allows. The super user {@value #ADMIN} (topic creation, ACLs, tests
 * playing another party) and one user per service ({@link KafkaAccess}) get random passwords at each start.
 * The controller listener, local like the client one, takes only the admin (SASL/PLAIN: SCRAM credentials live
 * in the metadata log the controller serves, so they cannot guard it).
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

    public static final String ADMIN = "admin";
    public static final String SASL_MECHANISM = "SCRAM-SHA-512";
    public static final String SECURITY_PROTOCOL = "SASL_PLAINTEXT";
    private static final SecureRandom RANDOM = new SecureRandom();

    private volatile ChildProcess process;
    private final Path dataDir;
    /** a persistent broker (the long-running platform): close() keeps its data folder */
    private final boolean keepData;
    private final String bootstrapServers;
    private final List<String> brokerCommand;
    private final Path logFile;
    /** Kafka user name → password, for {@value #ADMIN} and every service user. */
    private final Map<String, String> passwords;

    private KafkaBroker(ChildProcess process, Path dataDir, boolean keepData, String bootstrapServers, List<String> brokerCommand,
                        Path logFile, Map<String, String> passwords) {
        this.process = process;
        this.dataDir = dataDir;
        this.keepData = keepData;
        this.bootstrapServers = bootstrapServers;
        this.brokerCommand = brokerCommand;
        this.logFile = logFile;
        this.passwords = passwords;
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
        return start(libDir, dataDir, logFile, false);
    }

    /**
     * A broker whose data folder survives {@link #close()} (the long-running local platform): the first start formats
     * the storage, later ones start on the same KRaft log, so topics, records and committed offsets are still there.
     * The admin's password is kept in {@code dataDir/admin-password} (mode 0600): its SCRAM credential is in that log.
     * The ports are chosen afresh at every start; the services' users get new passwords, as at every start.
     */
    public static KafkaBroker startPersistent(Path libDir, Path dataDir, Path logFile) {
        return start(libDir, dataDir, logFile, true);
    }

    private static KafkaBroker start(Path libDir, Path dataDir, Path logFile, boolean keepData) {
        if (!Files.isRegularFile(libDir.resolve("kafka_2.13-" + KAFKA_VERSION + ".jar"))) {
            throw new IllegalStateException("Kafka broker jars not found in " + libDir
                    + "; build them with ./mvnw -B -q -pl deploy/kafka-broker install");
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return startOnFreePorts(libDir, dataDir, logFile, keepData);
            } catch (IllegalStateException e) {
                // The ports are chosen seconds before the broker's JVM binds them; another process may take one.
                if (attempt == 3 || !String.valueOf(e.getMessage()).contains("Address already in use")) {
                    throw e;
                }
            }
        }
    }

    private static KafkaBroker startOnFreePorts(Path libDir, Path dataDir, Path logFile, boolean keepData) {
        int brokerPort = ProjectLayout.freePort();
        int controllerPort = ProjectLayout.freePort();
        String bootstrap = "127.0.0.1:" + brokerPort;
        String classpath = libDir.toAbsolutePath() + "/*";
        Path storage = dataDir.resolve("kraft");
        Path storedAdminPassword = dataDir.resolve("admin-password");
        boolean formatted = keepData && Files.isRegularFile(storage.resolve("meta.properties")) && Files.isRegularFile(storedAdminPassword);
        Map<String, String> passwords = new LinkedHashMap<>();
        try {
            passwords.put(ADMIN, formatted ? Files.readString(storedAdminPassword).strip() : randomPassword());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + storedAdminPassword, e);
        }
        KafkaAccess.SERVICES.forEach(s -> passwords.put(s.user(), randomPassword()));
        Path config = dataDir.resolve("server.properties");
        // It holds the admin password: readable by its owner only.
        ProjectLayout.writePrivate(config, serverProperties(storage, brokerPort, controllerPort, passwords.get(ADMIN)));

        if (!formatted) {
            // The admin's SCRAM credential must exist before the broker starts (inter-broker authentication uses it);
            // the service users are added through the Admin API, which keeps their passwords off command lines.
            ProjectLayout.deleteRecursively(storage); // a persistent folder whose first start failed midway
            ChildProcess format = ChildProcess.start("kafka-storage-format", javaCommand(classpath, "kafka.tools.StorageTool",
                    "format", "-t", Uuid.randomUuid().toString(), "-c", config.toString(),
                    "--add-scram", SASL_MECHANISM + "=[name=" + ADMIN + ",password=" + passwords.get(ADMIN) + "]"), Map.of(), logFile);
            if (format.awaitExit(Duration.ofSeconds(60)) != 0) {
                throw new IllegalStateException("formatting Kafka storage failed:\n" + format.logTail(30));
            }
            if (keepData) {
                ProjectLayout.writePrivate(storedAdminPassword, passwords.get(ADMIN));
            }
        }

        List<String> brokerCommand = javaCommand(classpath, "kafka.Kafka", config.toString());
        ChildProcess broker = ChildProcess.start("kafka-broker", brokerCommand, Map.of(), logFile);
        KafkaBroker started = new KafkaBroker(broker, dataDir, keepData, bootstrap, brokerCommand, logFile, Map.copyOf(passwords));
        try {
            started.awaitReady();
            started.provisionServiceUsers();
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

    private static String randomPassword() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes); // hex: nothing to quote in JAAS lines or StorageTool arguments
    }

    private static String serverProperties(Path logDir, int brokerPort, int controllerPort, String adminPassword) {
        return """
                process.roles=broker,controller
                node.id=1
                controller.quorum.voters=1@127.0.0.1:%2$d
                listeners=CLIENT://127.0.0.1:%1$d,CONTROLLER://127.0.0.1:%2$d
                advertised.listeners=CLIENT://127.0.0.1:%1$d
                controller.listener.names=CONTROLLER
                inter.broker.listener.name=CLIENT
                listener.security.protocol.map=CLIENT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT
                listener.name.client.sasl.enabled.mechanisms=%5$s
                sasl.mechanism.inter.broker.protocol=%5$s
                listener.name.client.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="%6$s" password="%4$s";
                listener.name.controller.sasl.enabled.mechanisms=PLAIN
                sasl.mechanism.controller.protocol=PLAIN
                listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="%6$s" password="%4$s" user_%6$s="%4$s";
                authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
                allow.everyone.if.no.acl.found=false
                super.users=User:%6$s
                log.dirs=%3$s
                num.partitions=4
                offsets.topic.replication.factor=1
                offsets.topic.num.partitions=4
                transaction.state.log.replication.factor=1
                transaction.state.log.min.isr=1
                share.coordinator.state.topic.replication.factor=1
                share.coordinator.state.topic.min.isr=1
                group.initial.rebalance.delay.ms=0
                """.formatted(brokerPort, controllerPort, logDir.toAbsolutePath(), adminPassword, SASL_MECHANISM, ADMIN);
    }

    /**
     * Adds each service's SCRAM credential and ACLs, then waits until the broker answers with all of them: the
     * controller commits them first, and a client let in a moment later must not be refused.
     */
    private void provisionServiceUsers() {
        List<UserScramCredentialAlteration> credentials = KafkaAccess.SERVICES.stream()
                .<UserScramCredentialAlteration>map(s -> new UserScramCredentialUpsertion(s.user(),
                        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), passwords.get(s.user())))
                .toList();
        List<AclBinding> acls = KafkaAccess.SERVICES.stream().flatMap(s -> s.bindings().stream()).toList();
        ReadinessDeadline deadline = ReadinessDeadline.start(READY_TIMEOUT);
        try (Admin admin = admin()) {
            admin.alterUserScramCredentials(credentials).all().get(30, TimeUnit.SECONDS);
            admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
            while (admin.describeUserScramCredentials().users().get(10, TimeUnit.SECONDS).size() < passwords.size()
                    || !admin.describeAcls(AclBindingFilter.ANY).values().get(10, TimeUnit.SECONDS).containsAll(acls)) {
                failIfDeadOrLate(deadline, null);
                sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while adding Kafka users", e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot add the service users and ACLs on " + bootstrapServers, e);
        }
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
        Map<String, Object> config = new HashMap<>(clientConfig(ADMIN));
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000);
        return KafkaClients.create(() -> Admin.create(KafkaClients.config(config)));
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The password of a Kafka user of this broker ({@value #ADMIN} or a service's {@link KafkaAccess#user()}). */
    public String password(String user) {
        String password = passwords.get(user);
        if (password == null) {
            throw new IllegalArgumentException("no Kafka user '" + user + "'");
        }
        return password;
    }

    /** Settings for a plain Kafka client authenticating as {@code user}. */
    public Map<String, Object> clientConfig(String user) {
        return clientConfig(bootstrapServers, user, password(user));
    }

    public static Map<String, Object> clientConfig(String bootstrapServers, String user, String password) {
        return Map.of(
                CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, SECURITY_PROTOCOL,
                SaslConfigs.SASL_MECHANISM, SASL_MECHANISM,
                SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                        + user + "\" password=\"" + password + "\";");
    }

    /** The environment of a service process that connects as {@code user} (see the services' application.properties). */
    public Map<String, String> serviceEnv(String user) {
        return Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", bootstrapServers,
                "KAFKA_SASL_USERNAME", KafkaAccess.of(user).user(),
                "KAFKA_SASL_PASSWORD", password(user));
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

    /**
     * Removes every member of every consumer group, before any service connects: after a restart on a kept log
     * (persistent mode), the groups hold the members of the previous run, and a service whose consumers did not all
     * leave (the orchestrator's three share one group and leave mid-rebalance) would make the new members wait out
     * those sessions, 45 s, before the first record is read.
     */
    public void removeConsumerGroupMembers() {
        try (Admin admin = admin()) {
            List<String> groups = admin.listConsumerGroups().all().get(30, TimeUnit.SECONDS).stream()
                    .map(ConsumerGroupListing::groupId).toList();
            for (var group : admin.describeConsumerGroups(groups).all().get(30, TimeUnit.SECONDS).values()) {
                if (!group.members().isEmpty()) {
                    admin.removeMembersFromConsumerGroup(group.groupId(), new RemoveMembersFromConsumerGroupOptions())
                            .all().get(30, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while clearing consumer groups", e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot clear the consumer groups on " + bootstrapServers, e);
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

    /** Stops the broker (SIGTERM, then SIGKILL after a grace period) and deletes the data folder unless it is persistent. */
    @Override
    public void close() {
        process.stop(Duration.ofSeconds(10));
        if (!keepData) {
            ProjectLayout.deleteRecursively(dataDir);
        }
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
