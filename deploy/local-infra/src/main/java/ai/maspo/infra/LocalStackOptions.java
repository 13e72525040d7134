package ai.maspo.infra;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How {@link LocalStack} starts: the repository root (where the built modules are), the number of
 * evaluator replicas, partitions per MASPO topic, how long each service may take to become ready, the
 * simulator's fixed latency per answer (the benchmark's knob: 0 measures platform overhead, 100 ms a real LLM),
 * the state folder of a persistent stack (null: a one-shot stack whose data is deleted at close), and settings passed
 * to every service as environment variables (tracing, log format).
 */
public record LocalStackOptions(Path projectRoot, int evaluatorReplicas, int topicPartitions, Duration readyTimeout,
                                long simulatorLatencyMillis, Path stateDir, Map<String, String> serviceEnv) {

    public LocalStackOptions {
        if (evaluatorReplicas < 1) {
            throw new IllegalArgumentException("evaluatorReplicas must be at least 1, was " + evaluatorReplicas);
        }
        if (topicPartitions < 1) {
            throw new IllegalArgumentException("topicPartitions must be at least 1, was " + topicPartitions);
        }
        if (simulatorLatencyMillis < 0) {
            throw new IllegalArgumentException("simulatorLatencyMillis must not be negative, was " + simulatorLatencyMillis);
        }
        serviceEnv = Map.copyOf(serviceEnv);
    }

    /**
     * Root found from the working directory, 1 evaluator, 4 partitions, 240 s per service (a loaded 2-core machine
     * needed up to 135 s), no latency, one-shot, plain-text logs (the services log JSON by default, for a cluster's
     * log collector; the stack's log files are read by people), no tracing.
     */
    public static LocalStackOptions defaults() {
        return new LocalStackOptions(ProjectLayout.findRoot(), 1, 4, Duration.ofSeconds(240), 0, null,
                Map.of("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false"));
    }

    public LocalStackOptions withEvaluatorReplicas(int replicas) {
        return new LocalStackOptions(projectRoot, replicas, topicPartitions, readyTimeout, simulatorLatencyMillis, stateDir,
                serviceEnv);
    }

    public LocalStackOptions withProjectRoot(Path root) {
        return new LocalStackOptions(root, evaluatorReplicas, topicPartitions, readyTimeout, simulatorLatencyMillis, stateDir,
                serviceEnv);
    }

    public LocalStackOptions withSimulatorLatencyMillis(long millis) {
        return new LocalStackOptions(projectRoot, evaluatorReplicas, topicPartitions, readyTimeout, millis, stateDir,
                serviceEnv);
    }

    /**
     * A persistent stack: PostgreSQL's cluster, Kafka's log, the credentials and the logs live under {@code dir} and
     * survive {@link LocalStack#close()}, so the next start with the same folder finds runs, datasets and history.
     */
    public LocalStackOptions withStateDir(Path dir) {
        return new LocalStackOptions(projectRoot, evaluatorReplicas, topicPartitions, readyTimeout, simulatorLatencyMillis,
                dir.toAbsolutePath(), serviceEnv);
    }

    /** Every service exports its spans to this OTLP/HTTP endpoint (e.g. {@code http://127.0.0.1:4318}). */
    public LocalStackOptions withTracesEndpoint(String endpoint) {
        return withServiceEnv(Map.of(
                "QUARKUS_OTEL_SDK_DISABLED", "false",
                "QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", endpoint,
                "QUARKUS_OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/protobuf",
                "QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "1s")); // spans out soon after a run, not 5 s later
    }

    /** The services log JSON lines, as in a cluster (with run and request ids, and trace ids when tracing). */
    public LocalStackOptions withJsonLogs() {
        return withServiceEnv(Map.of("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "true"));
    }

    private LocalStackOptions withServiceEnv(Map<String, String> more) {
        Map<String, String> env = new HashMap<>(serviceEnv);
        env.putAll(more);
        return new LocalStackOptions(projectRoot, evaluatorReplicas, topicPartitions, readyTimeout, simulatorLatencyMillis,
                stateDir, env);
    }

    public Optional<Path> persistentState() {
        return Optional.ofNullable(stateDir);
    }
}
