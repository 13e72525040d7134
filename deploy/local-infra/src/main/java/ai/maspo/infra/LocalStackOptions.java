package ai.maspo.infra;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How {@link LocalStack} starts: the repository root (where the built modules are), the number of
 * evaluator replicas, partitions per MASPO topic, and how long each service may take to become ready.
 */
public record LocalStackOptions(Path projectRoot, int evaluatorReplicas, int topicPartitions, Duration readyTimeout) {

    public LocalStackOptions {
        if (evaluatorReplicas < 1) {
            throw new IllegalArgumentException("evaluatorReplicas must be at least 1, was " + evaluatorReplicas);
        }
        if (topicPartitions < 1) {
            throw new IllegalArgumentException("topicPartitions must be at least 1, was " + topicPartitions);
        }
    }

    /** Root found from the working directory, 1 evaluator, 4 partitions, 240 s per service (a loaded 2-core machine needed up to 135 s). */
    public static LocalStackOptions defaults() {
        return new LocalStackOptions(ProjectLayout.findRoot(), 1, 4, Duration.ofSeconds(240));
    }

    public LocalStackOptions withEvaluatorReplicas(int replicas) {
        return new LocalStackOptions(projectRoot, replicas, topicPartitions, readyTimeout);
    }

    public LocalStackOptions withProjectRoot(Path root) {
        return new LocalStackOptions(root, evaluatorReplicas, topicPartitions, readyTimeout);
    }
}
