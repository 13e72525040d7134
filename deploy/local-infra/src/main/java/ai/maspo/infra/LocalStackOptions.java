package ai.maspo.infra;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How {@link LocalStack} starts: the repository root (where the built modules are), the number of
 * evaluator replicas, partitions per MASPO topic, how long each service may take to become ready, and the
 * simulator's fixed latency per answer (the benchmark's knob: 0 measures platform overhead, 100 ms a real LLM).
 */
public record LocalStackOptions(Path projectRoot, int evaluatorReplicas, int topicPartitions, Duration readyTimeout,
                                long simulatorLatencyMillis) {

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

    /** Root found from the working directory, 1 evaluator, 4 partitions, 240 s per service (a loaded 2-core machine needed up to 135 s), no latency. */
    public static LocalStackOptions defaults() {
        return new LocalStackOptions(ProjectLayout.findRoot(), 1, 4, Duration.ofSeconds(240), 0);
    }

    public LocalStackOptions withEvaluatorReplicas(int replicas) {
        return new LocalStackOptions(projectRoot, replicas, topicPartitions, readyTimeout, simulatorLatencyMillis);
    }

    public LocalStackOptions withProjectRoot(Path root) {
        return new LocalStackOptions(root, evaluatorReplicas, topicPartitions, readyTimeout, simulatorLatencyMillis);
    }

    public LocalStackOptions withSimulatorLatencyMillis(long millis) {
        return new LocalStackOptions(projectRoot, evaluatorReplicas, topicPartitions, readyTimeout, millis);
    }
}
