package ai.maspo.orchestrator.dataset;

import ai.maspo.protocol.TaskDefinition;
import java.time.Instant;

/** What the API shows about a dataset; {@code suggestedTask} is the task setting that fits its format (null for generic). */
public record DatasetSummary(String id, String name, String owner, String format, int poolSize, int testSize, long seed,
                             int duplicatesDropped, Instant createdAt, TaskDefinition suggestedTask) {
}
