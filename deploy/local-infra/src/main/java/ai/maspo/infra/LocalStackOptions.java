package ai.maspo.infra;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How {@link LocalStack} starts: the repository root (where the built modules are), the number of
 * evaluator replicas, partitions per MASPO topic, how long each service may take to become ready, the
 * simulator's fixed latency per answer (the benchmark's knob: 0 measures platform overhead, 100 ms a real LLM),
 * the state folder of a persistent stack (null: a one-shot stack whose data is deleted at close), and the OTLP/HTTP
 * endpoint the services send their traces to (null: tracing off, the services' default).
 */
public record LocalStackOptions(Path projectRoot, int evaluatorReplicas, int topicPartitions, Duration readyTimeout,
                                long simulatorLatencyMillis, Path stateDir, String tracesEndpoint) {

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
    }

    /** Root found from the working directory, 1 evaluator, 4 partitions, 240 s per service (a loaded 2-core machine needed up to 135 s), no latency, one-shot. */
    public static LocalStackOptions defaults() {
        return new LocalStackOptions(ProjectLayout.findRoot(), 1, 4, Duration.ofSeconds(240), 0, null, null);
    }

    public LocalStackOptions withEvaluatorReplicas(int replicas) {
        return new LocalStackOptions(projectRoot, replicas, topicPartitions, readyTimeout, simulatorLatencyMillis, stateDir,
                tracesEndpoint);
    }

    public LocalStackOptions withProjectRoot(Path root) {
        return new LocalStackOptions(root, evaluatorReplicas, topicPartitions, readyTimeout, simulatorLatencyMillis, stateDir,
                tracesEndpoint);
    }

    public LocalStackOptions withSimulatorLatencyMillis(long millis) {
        return new LocalStackOptions(projectRoot, evaluatorReplicas, topicPartitions, readyTimeout, millis, stateDir,
                tracesEndpoint);
    }

    /**
     * A persistent stack: PostgreSQL's cluster, Kafka's log, the credentials and the logs live under {@code dir} and
     * survive {@link LocalStack#close()}, so the next start with the same folder finds runs, datasets and history.
     */
    public LocalStackOptions withStateDir(Path dir) {
        return new LocalStackOptions(projectRoot, evaluatorReplicas, topicPartitions, readyTimeout, simulatorLatencyMillis,
                dir.toAbsolutePath(), tracesEndpoint);
    }

    /** Every service exports its spans to this OTLP/HTTP endpoint (e.g. {@code http://127.0.0.1:4318}). */
    public LocalStackOptions withTracesEndpoint(String endpoint) {
        return new LocalStackOptions(projectRoot, evaluatorReplicas, topicPartitions, readyTimeout, simulatorLatencyMillis,
                stateDir, endpoint);
    }

    public Optional<String> traces() {
        return Optional.ofNullable(tracesEndpoint);
    }

    public Optional<Path> persistentState() {
        return Optional.ofNullable(stateDir);
    }
}
