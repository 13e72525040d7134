package ai.maspo.orchestrator.dataset;

import java.util.List;

/**
 * A parsed, validated, split dataset, ready to store.
 *
 * @param duplicatesDropped rows whose question text repeated an earlier row (kept once, so pool and test stay disjoint)
 */
public record ImportedDataset(String name, DatasetFormat format, long seed, List<DatasetItem> pool, List<DatasetItem> test,
                              int duplicatesDropped) {
}
