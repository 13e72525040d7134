package ai.maspo.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The whole platform on one machine, without Docker: a Kafka broker, PostgreSQL, the llm-simulator
 * (unless {@value #LLM_BASE_URL} names a real endpoint) and the services as separate processes built
 * by Maven, each logging to a file in {@link #logDir()}. {@link #close()} stops the services (together),
 * then the simulator, PostgreSQL and Kafka; a shutdown hook does the same on Ctrl-C, and a failed start
 * stops what had started. Every component can be killed ({@code kill -9}) and restarted by name
 * ({@link #components()}): it comes back on the same port, with the same data (Kafka's log, PostgreSQL's cluster).
 * Start-up limits scale with the machine's load ({@link ReadinessDeadline}).
 * With a state folder ({@link LocalStackOptions#withStateDir}) the stack is persistent: PostgreSQL's cluster, Kafka's
 * log and the credentials are kept there and found again at the next start (logs in {@code logs/<time>} beside them),
 * and a lock on the folder keeps a second stack off it.
 * {@link #main} is the local run: it starts the stack and drives the example run.
 */
public final class LocalStack implements AutoCloseable {
    public static final String LLM_BASE_URL = "MASPO_LLM_BASE_URL";
    public static final String LLM_API_KEY = "MASPO_LLM_API_KEY";
    /** Any non-empty key: the simulator ignores it, and quarkus-langchain4j treats "dummy" as missing. */
    private static final String SIMULATOR_API_KEY = "simulator-key";
    private static final Pattern SIMULATOR_READY = Pattern.compile("LLM simulator listening on (http://[^/\\s]+)/v1");
    // The host part stops at the port's colon: a JSON log line has no blank after the address.
    private static final Pattern QUARKUS_LISTENING = Pattern.compile("Listening on: http://[^\\s/:]+:(\\d+)");
    /** health lives on the management interface, a port of its own */
    private static final Pattern MANAGEMENT_LISTENING = Pattern.compile("Management interface listening on http://[^\\s/:]+:(\\d+)");
    /**
     * C1 only: the local stack's services live for one run or a working session on a small machine, where C2's
     * compilations cost more CPU than they save (the benchmark in docs/benchmarks.md measured the orchestrator's CPU
     * in the search halved and the search 30 % shorter). Long-lived deployments (compose, Kubernetes) keep the JVM's
     * default tiered compilation.
     */
    /** Above the evaluator's default drain timeout (20 s): an idle evaluator leaves in well under a second. */
    private static final Duration EVALUATOR_STOP_GRACE = Duration.ofSeconds(30);
    private static final List<String> SERVICE_JVM_OPTIONS = List.of("-Xms64m", "-Xmx512m", "-XX:TieredStopAtLevel=1");

    private final LocalStackOptions options;
    private final Path logDir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Thread shutdownHook = new Thread(this::close, "maspo-local-stack-stop");

    private KafkaBroker kafka;
    private LocalPostgres postgres;
    private ChildProcess simulator;
    private String simulatorUrl;
    /** Extra simulator flags (fault rates), kept across restarts until {@link #restartSimulator} changes them. */
    private List<String> simulatorFlags = List.of();
    private String llmBaseUrl;
    private String llmApiKey;
    /** The Quarkus services by component name, stopped before the infrastructure they use. */
    private final Map<String, Service> services = new LinkedHashMap<>();
    private LocalCredentials credentials;
    private String orchestratorUrl;
    private boolean closed;

    /** Held on the state folder of a persistent stack while it runs: two servers on one cluster would corrupt it. */
    private FileChannel stateLock;

    private LocalStack(LocalStackOptions options, Path logDir) {
        this.options = options;
        this.logDir = logDir;
    }

    public static LocalStack start(LocalStackOptions options) {
        Path logs = options.persistentState().map(dir -> dir.resolve("logs"))
                .orElse(options.projectRoot().resolve("target/local-run"));
        Path logDir = logs.resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS")));
        LocalStack stack = new LocalStack(options, logDir);
        Runtime.getRuntime().addShutdownHook(stack.shutdownHook);
        try {
            stack.startAll();
            return stack;
        } catch (RuntimeException | Error e) {
            stack.close();
            throw e;
        }
    }

    private void startAll() {
        Path root = options.projectRoot();
        Optional<String> externalLlm = env(LLM_BASE_URL);
        List<Path> required = new ArrayList<>(List.of(
                serviceJar("sampler"), serviceJar("evaluator"), serviceJar("orchestrator"), ProjectLayout.kafkaLibDir(root)));
        if (externalLlm.isEmpty()) {
            required.add(simulatorJar());
        }
        for (Path path : required) {
            if (!Files.exists(path)) {
                throw new IllegalStateException(path + " is missing: build first with ./mvnw -B -DskipTests install (or deploy/local/run.sh without --no-build)");
            }
        }
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + logDir, e);
        }
        Optional<Path> state = options.persistentState();
        state.ifPresent(this::lockState);

        // PostgreSQL and Kafka start in parallel: each spends most of its 2-4 s waiting for a process.
        Path postgresLog = logDir.resolve("postgres.log");
        CompletableFuture<LocalPostgres> db = CompletableFuture.supplyAsync(() -> state
                .map(dir -> LocalPostgres.startPersistent(dir.resolve("postgres"), postgresLog))
                .orElseGet(() -> LocalPostgres.start(postgresLog)));
        try {
            Path kafkaLog = logDir.resolve("kafka.log");
            kafka = state.isPresent()
                    ? KafkaBroker.startPersistent(ProjectLayout.kafkaLibDir(root), state.get().resolve("kafka"), kafkaLog)
                    : KafkaBroker.start(ProjectLayout.kafkaLibDir(root), Files.createTempDirectory("maspo-kafka-"), kafkaLog);
            kafka.createMaspoTopics(options.topicPartitions());
            if (state.isPresent()) {
                kafka.removeConsumerGroupMembers();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                postgres = db.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }

        if (externalLlm.isPresent()) {
            llmBaseUrl = externalLlm.get();
            llmApiKey = env(LLM_API_KEY).orElseThrow(() -> new IllegalStateException(LLM_BASE_URL + " is set but " + LLM_API_KEY + " is not"));
        } else {
            startSimulator();
            llmBaseUrl = simulatorUrl + "/v1";
            llmApiKey = SIMULATOR_API_KEY;
        }

        Map<String, String> dbEnv = Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl(),
                "QUARKUS_DATASOURCE_USERNAME", postgres.username(),
                "QUARKUS_DATASOURCE_PASSWORD", postgres.password());
        Map<String, String> llmEnv = Map.of(LLM_BASE_URL, llmBaseUrl, LLM_API_KEY, llmApiKey);
        credentials = state.map(dir -> LocalCredentials.loadOrGenerate(dir.resolve("credentials")))
                .orElseGet(() -> LocalCredentials.generate(logDir));
        List<Service> started = new ArrayList<>();
        started.add(startService(new Service("sampler", "sampler", dbEnv)));
        for (int i = 1; i <= options.evaluatorReplicas(); i++) {
            started.add(startService(new Service("evaluator-" + i, "evaluator", evaluatorEnv(dbEnv, llmEnv))));
        }
        Service orchestrator = startService(new Service("orchestrator", "orchestrator", orchestratorEnv(dbEnv)));
        started.add(orchestrator);
        awaitReady(started);
        orchestratorUrl = "http://127.0.0.1:" + orchestrator.port;
    }

    private void lockState(Path dir) {
        try {
            Files.createDirectories(dir);
            FileChannel channel = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            boolean locked;
            try {
                locked = channel.tryLock() != null;
            } catch (OverlappingFileLockException heldByThisJvm) {
                locked = false;
            }
            if (!locked) {
                channel.close();
                throw new IllegalStateException("another local platform is running on " + dir);
            }
            stateLock = channel;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + dir, e);
        }
    }

    /** The LLM endpoint, and the database of the answer cache the evaluators share. */
    private static Map<String, String> evaluatorEnv(Map<String, String> dbEnv, Map<String, String> llmEnv) {
        Map<String, String> env = new LinkedHashMap<>(dbEnv);
        env.putAll(llmEnv);
        return env;
    }

    private Map<String, String> orchestratorEnv(Map<String, String> dbEnv) {
        Map<String, String> env = new LinkedHashMap<>(dbEnv);
        env.putAll(credentials.orchestratorEnv());
        return env;
    }

    /** A Quarkus service: its module, environment and (once bound) ports survive a restart. */
    private static final class Service {
        final String name;
        final String module;
        final Map<String, String> env;
        /** 0 until the service reports the port it bound; a restart binds the same one. */
        volatile int port;
        /** The management interface (health, metrics): likewise. */
        volatile int managementPort;
        volatile ChildProcess process;

        Service(String name, String module, Map<String, String> env) {
            this.name = name;
            this.module = module;
            this.env = env;
        }
    }

    private Path serviceJar(String module) {
        return options.projectRoot().resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }

    private Path simulatorJar() {
        return options.projectRoot().resolve("llm-simulator/target/maspo-llm-simulator-0.1.0-SNAPSHOT.jar");
    }

    /**
     * Starts the simulator with {@link #simulatorFlags}; the first time on --port 0 (it picks a free port just before
     * binding it and reports it in its ready line), afterwards on the port it had, which the evaluators use.
     */
    private void startSimulator() {
        Path module = options.projectRoot().resolve("llm-simulator/target");
        String classpath = simulatorJar() + ":" + module.resolve("lib") + "/*";
        int port = simulatorUrl == null ? 0 : URI.create(simulatorUrl).getPort();
        List<String> command = new ArrayList<>(List.of(ChildProcess.javaExecutable(), "-Xmx256m", "-cp", classpath,
                "ai.maspo.simulator.SimulatorMain", "--port", Integer.toString(port),
                "--latency-ms", Long.toString(options.simulatorLatencyMillis())));
        command.addAll(simulatorFlags);
        long logStart = markRestart("llm-simulator");
        simulator = spawn("llm-simulator", command, Map.of());
        ReadinessDeadline deadline = ReadinessDeadline.start(Duration.ofSeconds(60));
        while (!deadline.passed()) {
            Matcher ready = SIMULATOR_READY.matcher(logSince(simulator.logFile(), logStart));
            if (ready.find()) {
                simulatorUrl = ready.group(1);
                return;
            }
            if (!simulator.isAlive()) {
                throw new IllegalStateException("llm-simulator exited during start-up:\n" + simulator.logTail(40));
            }
            sleep(100);
        }
        throw new IllegalStateException("llm-simulator did not report its port within " + deadline.limit().toSeconds()
                + " s:\n" + simulator.logTail(40));
    }

    /** The log's current length, after a restart marker line when the component ran before (its log is appended). */
    private long markRestart(String name) {
        Path log = logDir.resolve(name + ".log");
        try {
            if (Files.exists(log)) {
                Files.writeString(log, "\n=== restarted by the local stack at " + Instant.now() + " ===\n",
                        StandardOpenOption.APPEND);
            }
            return Files.exists(log) ? Files.size(log) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + log, e);
        }
    }

    private static String logSince(Path log, long offset) {
        try {
            byte[] all = Files.readAllBytes(log);
            int from = (int) Math.min(offset, all.length);
            return new String(all, from, all.length - from, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return ""; // not written yet
        }
    }

    /**
     * Starts (or restarts) a service. The first start binds port 0 and reads the port the service reports
     * ({@link #awaitReady}): a port chosen here and bound by the service a minute later (JVM start on a loaded machine)
     * could be taken by another process in between. A restart binds the port it had, which clients know.
     */
    private Service startService(Service service) {
        Map<String, String> env = new LinkedHashMap<>(service.env);
        env.put("QUARKUS_HTTP_PORT", Integer.toString(service.port));
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(service.managementPort));
        env.put("QUARKUS_MANAGEMENT_HOST", "127.0.0.1");
        env.putAll(kafka.serviceEnv(service.module)); // each service authenticates as its own Kafka user
        env.putAll(options.serviceEnv());
        List<String> command = new ArrayList<>(List.of(ChildProcess.javaExecutable()));
        command.addAll(SERVICE_JVM_OPTIONS);
        command.addAll(extraJvmOptions());
        command.addAll(List.of("-jar", serviceJar(service.module).toString()));
        markRestart(service.name);
        service.process = spawn(service.name, command, env);
        services.put(service.name, service);
        return service;
    }

    /**
     * Extra JVM options for every service from {@code MASPO_SERVICE_JAVA_OPTS}, e.g. a flight recording for profiling
     * ({@code -XX:StartFlightRecording:filename=/tmp/%p.jfr}: {@code %p} keeps one file per process).
     */
    private static List<String> extraJvmOptions() {
        String options = System.getenv().getOrDefault("MASPO_SERVICE_JAVA_OPTS", "").strip();
        return options.isEmpty() ? List.of() : List.of(options.split("\\s+"));
    }

    private synchronized ChildProcess spawn(String name, List<String> command, Map<String, String> env) {
        if (closed) {
            throw new IllegalStateException("local stack is shutting down; not starting " + name);
        }
        return ChildProcess.start(name, command, env, logDir.resolve(name + ".log"));
    }

    /**
     * Polls every service's GET /q/health/ready on its management port until all answer 200; a dead or late service fails the start (the
     * limit scales with the load). A service still on port 0 gets the ports it reports once it listens.
     */
    private void awaitReady(List<Service> starting) {
        List<Service> pending = new ArrayList<>(starting);
        ReadinessDeadline deadline = ReadinessDeadline.start(options.readyTimeout());
        while (!pending.isEmpty()) {
            for (var it = pending.iterator(); it.hasNext(); ) {
                Service service = it.next();
                ChildProcess child = service.process;
                if (!child.isAlive()) {
                    throw new IllegalStateException(child.name() + " exited during start-up (log " + child.logFile() + "):\n" + child.logTail(40));
                }
                if (service.port == 0) {
                    service.port = reportedPort(child, QUARKUS_LISTENING);
                }
                if (service.managementPort == 0) {
                    service.managementPort = reportedPort(child, MANAGEMENT_LISTENING);
                }
                if (service.port != 0 && service.managementPort != 0 && healthReady(service.managementPort)) {
                    it.remove();
                }
            }
            if (!pending.isEmpty() && deadline.passed()) {
                ChildProcess late = pending.getFirst().process;
                throw new IllegalStateException(late.name() + " not ready after " + deadline.limit().toSeconds()
                        + " s (log " + late.logFile() + "):\n" + late.logTail(40));
            }
            sleep(250);
        }
    }

    private static int reportedPort(ChildProcess child, Pattern line) {
        try {
            Matcher listening = line.matcher(Files.readString(child.logFile()));
            return listening.find() ? Integer.parseInt(listening.group(1)) : 0;
        } catch (IOException e) {
            return 0; // not written yet
        }
    }

    private boolean healthReady(int port) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                .timeout(Duration.ofSeconds(2)).GET().build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for services", e);
        }
    }

    /** The components by name, in start order: kafka, postgres and simulator (when started here), sampler, evaluator-N, orchestrator. */
    public synchronized List<String> components() {
        List<String> names = new ArrayList<>(List.of("kafka"));
        if (postgres.isEmbedded()) {
            names.add("postgres");
        }
        if (simulator != null) {
            names.add("simulator");
        }
        names.addAll(services.keySet());
        return names;
    }

    public synchronized boolean isRunning(String component) {
        return switch (component) {
            case "kafka" -> kafka.process().isAlive();
            case "postgres" -> postgres.serverProcess().map(ProcessHandle::isAlive).orElse(false);
            case "simulator" -> simulator != null && simulator.isAlive();
            default -> service(component).process.isAlive();
        };
    }

    /** Kills the component without warning ({@code kill -9} of its process tree), as a crash would. */
    public synchronized void kill(String component) {
        switch (component) {
            case "kafka" -> kafka.kill();
            case "postgres" -> postgres.kill();
            case "simulator" -> simulator.kill();
            default -> service(component).process.kill();
        }
    }

    /**
     * Stops a service as Kubernetes stops a pod (scale-in, rolling update): SIGTERM, then SIGKILL if it is still
     * running after {@code grace}. Returns whether it ended by itself. {@link #restart} starts it again.
     */
    public synchronized boolean stop(String service, Duration grace) {
        return service(service).process.stop(grace);
    }

    /**
     * Starts a component that is down again, on the same port and with the same data, and waits until it is ready:
     * runs in progress must carry on from what Kafka and PostgreSQL hold.
     */
    public synchronized void restart(String component) {
        if (isRunning(component)) {
            throw new IllegalStateException(component + " is running; kill it first");
        }
        switch (component) {
            case "kafka" -> kafka.restart();
            case "postgres" -> postgres.restart();
            case "simulator" -> startSimulator();
            default -> awaitReady(List.of(startService(service(component))));
        }
    }

    /** {@link #kill} then {@link #restart}. */
    public synchronized void crashAndRestart(String component) {
        kill(component);
        restart(component);
    }

    /**
     * Stops the simulator and starts it on the same port with these extra flags (e.g. {@code --rate-429 0.1}; none
     * for a faultless one); they stay in force across later restarts.
     */
    public synchronized void restartSimulator(List<String> flags) {
        if (simulator == null) {
            throw new IllegalStateException("no simulator: " + LLM_BASE_URL + " points to another endpoint");
        }
        simulator.close();
        simulatorFlags = List.copyOf(flags);
        startSimulator();
    }

    private Service service(String component) {
        Service service = services.get(component);
        if (service == null) {
            throw new IllegalArgumentException("no component " + component + "; components: " + components());
        }
        return service;
    }

    /** The management port (health, metrics) of the service named {@code name} ("evaluator-1", ...). */
    public synchronized int managementPort(String name) {
        return service(name).managementPort;
    }

    /** The process of the service named {@code name} ("orchestrator", "evaluator-1", ...), if it runs. */
    public synchronized Optional<ProcessHandle> serviceProcess(String name) {
        return Optional.ofNullable(services.get(name)).map(service -> service.process.handle());
    }

    public String orchestratorUrl() {
        return orchestratorUrl;
    }

    /** This stack's keys: the bootstrap admin API key, and JWTs its orchestrator trusts. */
    public LocalCredentials credentials() {
        return credentials;
    }

    /** A client of this stack's orchestrator, authenticated with the admin API key. */
    public RunClient runClient() {
        return new RunClient(orchestratorUrl, credentials.adminApiKey());
    }

    /** The simulator's root URL (without /v1), absent when a real LLM endpoint is configured. */
    public Optional<String> simulatorUrl() {
        return Optional.ofNullable(simulatorUrl);
    }

    /** The OpenAI-compatible base URL the evaluators use. */
    public String llmBaseUrl() {
        return llmBaseUrl;
    }

    public String kafkaBootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** Settings for a Kafka client of the stack's broker authenticating as {@code user} (a service, or the admin). */
    public Map<String, Object> kafkaClientConfig(String user) {
        return kafka.clientConfig(user);
    }

    public LocalPostgres postgres() {
        return postgres;
    }

    /**
     * Makes the evaluators forget every LLM answer, for measurements that compare runs of the same spec and seed:
     * otherwise every run after the first is answered from their caches and pays (and meets faults) far less, by an
     * amount that depends on the order of the runs. Each replica's memory goes with a stop (SIGTERM, as Kubernetes
     * stops a pod) and a start; the cache they share ({@code evaluator.llm_answers}) is emptied while they are down.
     * The replicas start again together.
     */
    public synchronized void forgetLlmAnswers() {
        List<Service> evaluators = services.values().stream().filter(s -> s.module.equals("evaluator")).toList();
        evaluators.forEach(s -> s.process.stop(EVALUATOR_STOP_GRACE));
        try (Connection db = DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password());
             Statement delete = db.createStatement()) {
            delete.executeUpdate("DELETE FROM evaluator.llm_answers");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot empty the shared answer cache: " + e.getMessage(), e);
        }
        awaitReady(evaluators.stream().map(this::startService).toList());
    }

    public Path logDir() {
        return logDir;
    }

    /** Every process this stack started (broker, PostgreSQL, simulator, services), for checks that none outlives close(). */
    public synchronized List<ProcessHandle> processes() {
        List<ProcessHandle> all = new ArrayList<>();
        if (kafka != null) {
            all.add(kafka.process().handle());
        }
        if (postgres != null) {
            postgres.serverProcess().ifPresent(all::add);
        }
        if (simulator != null) {
            all.add(simulator.handle());
        }
        services.values().forEach(s -> all.add(s.process.handle()));
        List<ProcessHandle> withDescendants = new ArrayList<>(all);
        all.forEach(p -> p.descendants().forEach(withDescendants::add));
        return withDescendants;
    }

    /** Stops the services, then the simulator, PostgreSQL and Kafka. Idempotent; never throws. */
    @Override
    public void close() {
        List<ChildProcess> toStop;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toStop = services.values().stream().map(s -> s.process).toList();
        }
        // The services stop together (each takes seconds to leave its consumer groups), then what they used.
        // One thread each: the common pool has a single worker on a 2-core machine.
        List<Thread> stopping = toStop.stream().map(child -> Thread.ofPlatform().start(() -> quietly(child::close))).toList();
        for (Thread thread : stopping) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (simulator != null) {
            quietly(simulator::close);
        }
        if (postgres != null) {
            quietly(postgres::close);
        }
        if (kafka != null) {
            quietly(kafka::close);
        }
        if (stateLock != null) {
            quietly(() -> {
                try {
                    stateLock.close(); // releases the lock
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // close() is running inside the hook itself.
        }
    }

    private static void quietly(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            System.err.println("while stopping the local stack: " + e);
        }
    }

    private static Optional<String> env(String name) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The local run: see {@link LocalRun}. */
    public static void main(String[] args) {
        System.exit(LocalRun.run(args));
    }
}
