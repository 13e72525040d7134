package ai.maspo.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * stops what had started.
 * {@link #main} is the local run: it starts the stack and drives the example run.
 */
public final class LocalStack implements AutoCloseable {
    public static final String LLM_BASE_URL = "MASPO_LLM_BASE_URL";
    public static final String LLM_API_KEY = "MASPO_LLM_API_KEY";
    /** Any non-empty key: the simulator ignores it, and quarkus-langchain4j treats "dummy" as missing. */
    private static final String SIMULATOR_API_KEY = "simulator-key";
    private static final Pattern SIMULATOR_READY = Pattern.compile("LLM simulator listening on (http://[^/\\s]+)/v1");
    private static final Pattern QUARKUS_LISTENING = Pattern.compile("Listening on: http://[^\\s/]+:(\\d+)");
    /** health lives on the management interface, a port of its own */
    private static final Pattern MANAGEMENT_LISTENING = Pattern.compile("Management interface listening on http://[^\\s/]+:(\\d+)");
    private static final List<String> SERVICE_JVM_OPTIONS = List.of("-Xms64m", "-Xmx512m");

    private final LocalStackOptions options;
    private final Path logDir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Thread shutdownHook = new Thread(this::close, "maspo-local-stack-stop");

    private KafkaBroker kafka;
    private LocalPostgres postgres;
    private ChildProcess simulator;
    private String simulatorUrl;
    private String llmBaseUrl;
    private String llmApiKey;
    /** The Quarkus services, stopped before the infrastructure they use. */
    private final Map<ChildProcess, String> services = new LinkedHashMap<>();
    private Map<String, String> dbEnv;
    private LocalCredentials credentials;
    private int orchestratorRestarts;
    private String orchestratorUrl;
    private boolean closed;

    private LocalStack(LocalStackOptions options, Path logDir) {
        this.options = options;
        this.logDir = logDir;
    }

    public static LocalStack start(LocalStackOptions options) {
        Path root = options.projectRoot();
        Path logDir = root.resolve("target/local-run")
                .resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS")));
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

        // PostgreSQL and Kafka start in parallel: each spends most of its 2-4 s waiting for a process.
        CompletableFuture<LocalPostgres> db = CompletableFuture.supplyAsync(() -> LocalPostgres.start(logDir.resolve("postgres.log")));
        try {
            Path kafkaData = Files.createTempDirectory("maspo-kafka-");
            kafka = KafkaBroker.start(ProjectLayout.kafkaLibDir(root), kafkaData, logDir.resolve("kafka.log"));
            kafka.createMaspoTopics(options.topicPartitions());
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

        dbEnv = Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl(),
                "QUARKUS_DATASOURCE_USERNAME", postgres.username(),
                "QUARKUS_DATASOURCE_PASSWORD", postgres.password());
        Map<String, String> llmEnv = Map.of(LLM_BASE_URL, llmBaseUrl, LLM_API_KEY, llmApiKey);
        credentials = LocalCredentials.generate(logDir);
        List<ChildProcess> started = new ArrayList<>();
        started.add(startService("sampler", "sampler", dbEnv, 0));
        for (int i = 1; i <= options.evaluatorReplicas(); i++) {
            started.add(startService("evaluator", "evaluator-" + i, llmEnv, 0));
        }
        ChildProcess orchestrator = startService("orchestrator", "orchestrator", orchestratorEnv(), 0);
        started.add(orchestrator);
        awaitReady(started);
        orchestratorUrl = "http://127.0.0.1:" + reportedPort(orchestrator, QUARKUS_LISTENING);
    }

    private Map<String, String> orchestratorEnv() {
        Map<String, String> env = new LinkedHashMap<>(dbEnv);
        env.putAll(credentials.orchestratorEnv());
        return env;
    }

    private Path serviceJar(String module) {
        return options.projectRoot().resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }

    private Path simulatorJar() {
        return options.projectRoot().resolve("llm-simulator/target/maspo-llm-simulator-0.1.0-SNAPSHOT.jar");
    }

    private void startSimulator() {
        Path module = options.projectRoot().resolve("llm-simulator/target");
        String classpath = simulatorJar() + ":" + module.resolve("lib") + "/*";
        // --port 0: the simulator picks a free port just before binding it and reports it in its ready line.
        simulator = spawn("llm-simulator", List.of(ChildProcess.javaExecutable(), "-Xmx256m", "-cp", classpath,
                "ai.maspo.simulator.SimulatorMain", "--port", "0"), Map.of());
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            Matcher ready = SIMULATOR_READY.matcher(simulator.logTail(200));
            if (ready.find()) {
                simulatorUrl = ready.group(1);
                return;
            }
            if (!simulator.isAlive()) {
                throw new IllegalStateException("llm-simulator exited during start-up:\n" + simulator.logTail(40));
            }
            sleep(100);
        }
        throw new IllegalStateException("llm-simulator did not report its port within 60 s:\n" + simulator.logTail(40));
    }

    /**
     * Services bind port 0 (unless {@code port} is given) and report the ports they got ({@link #awaitReady}): a port
     * chosen here and bound by the service a minute later (JVM start on a loaded machine) could be taken by another
     * process in between. The management interface (health, metrics) always gets a port of its own choosing.
     */
    private ChildProcess startService(String module, String name, Map<String, String> extraEnv, int port) {
        Map<String, String> env = new LinkedHashMap<>(extraEnv);
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("QUARKUS_MANAGEMENT_PORT", "0");
        env.put("QUARKUS_MANAGEMENT_HOST", "127.0.0.1");
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        List<String> command = new ArrayList<>(List.of(ChildProcess.javaExecutable()));
        command.addAll(SERVICE_JVM_OPTIONS);
        command.addAll(List.of("-jar", serviceJar(module).toString()));
        ChildProcess child = spawn(name, command, env);
        services.put(child, name);
        return child;
    }

    private synchronized ChildProcess spawn(String name, List<String> command, Map<String, String> env) {
        if (closed) {
            throw new IllegalStateException("local stack is shutting down; not starting " + name);
        }
        return ChildProcess.start(name, command, env, logDir.resolve(name + ".log"));
    }

    /**
     * Polls every service's GET /q/health/ready on its management port (read from its log once it listens) until all
     * answer 200; a dead or late service fails the start.
     */
    private void awaitReady(List<ChildProcess> children) {
        Map<ChildProcess, Integer> pending = new LinkedHashMap<>();
        children.forEach(child -> pending.put(child, 0));
        long deadline = System.nanoTime() + options.readyTimeout().toNanos();
        while (!pending.isEmpty()) {
            for (var it = pending.entrySet().iterator(); it.hasNext(); ) {
                var entry = it.next();
                ChildProcess child = entry.getKey();
                if (!child.isAlive()) {
                    throw new IllegalStateException(child.name() + " exited during start-up (log " + child.logFile() + "):\n" + child.logTail(40));
                }
                if (entry.getValue() == 0) {
                    entry.setValue(reportedPort(child, MANAGEMENT_LISTENING));
                }
                if (entry.getValue() != 0 && healthReady(entry.getValue())) {
                    it.remove();
                }
            }
            if (System.nanoTime() > deadline && !pending.isEmpty()) {
                ChildProcess late = pending.keySet().iterator().next();
                throw new IllegalStateException(late.name() + " not ready after " + options.readyTimeout().toSeconds()
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

    /**
     * Kills the orchestrator without warning, as a crash would, and starts a new one on the same port and database,
     * waiting until it is ready: runs in progress must carry on from what PostgreSQL holds.
     */
    public synchronized void crashAndRestartOrchestrator() {
        ChildProcess old = services.entrySet().stream().filter(e -> e.getValue().startsWith("orchestrator"))
                .map(Map.Entry::getKey).findFirst().orElseThrow(() -> new IllegalStateException("no orchestrator"));
        old.handle().destroyForcibly();
        old.awaitExit(Duration.ofSeconds(10));
        old.stop(Duration.ofSeconds(1));
        services.remove(old);
        ChildProcess restarted = startService("orchestrator", "orchestrator-restart-" + (++orchestratorRestarts),
                orchestratorEnv(), URI.create(orchestratorUrl).getPort());
        awaitReady(List.of(restarted));
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

    public LocalPostgres postgres() {
        return postgres;
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
        services.keySet().forEach(s -> all.add(s.handle()));
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
            toStop = new ArrayList<>(services.keySet());
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
