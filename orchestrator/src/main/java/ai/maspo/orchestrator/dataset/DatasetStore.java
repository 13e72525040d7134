package ai.maspo.orchestrator.dataset;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Datasets in PostgreSQL. A dataset is written in one transaction: all of it or nothing. */
@ApplicationScoped
public class DatasetStore {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Transactional
    public DatasetSummary save(ImportedDataset dataset, String owner) {
        DatasetEntity entity = new DatasetEntity();
        entity.id = UUID.randomUUID().toString();
        entity.name = dataset.name();
        entity.owner = owner;
        entity.format = dataset.format().wireName();
        entity.seed = dataset.seed();
        entity.poolSize = dataset.pool().size();
        entity.testSize = dataset.test().size();
        entity.duplicatesDropped = dataset.duplicatesDropped();
        entity.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        entity.persist();
        persistItems(entity.id, DatasetSplit.POOL, dataset.pool());
        persistItems(entity.id, DatasetSplit.TEST, dataset.test());
        return summary(entity);
    }

    /** oldest first; only {@code owner}'s datasets, or all when {@code owner} is null */
    @Transactional
    public List<DatasetSummary> list(String owner) {
        Sort order = Sort.by("createdAt").and("id");
        List<DatasetEntity> found = owner == null ? DatasetEntity.findAll(order).list() : DatasetEntity.find("owner", order, owner).list();
        return found.stream().map(DatasetStore::summary).toList();
    }

    @Transactional
    public Optional<DatasetSummary> find(String id) {
        return DatasetEntity.<DatasetEntity>findByIdOptional(id).map(DatasetStore::summary);
    }

    /** the questions of one side in their stored order @throws DatasetNotFoundException */
    @Transactional
    public List<DatasetItem> items(String datasetId, DatasetSplit split) {
        if (DatasetEntity.findById(datasetId) == null) {
            throw new DatasetNotFoundException(datasetId);
        }
        return DatasetItemEntity.<DatasetItemEntity>find("datasetId = ?1 and split = ?2", Sort.by("position"), datasetId, split)
                .stream().map(DatasetStore::item).toList();
    }

    private static void persistItems(String datasetId, DatasetSplit split, List<DatasetItem> items) {
        for (int i = 0; i < items.size(); i++) {
            DatasetItem item = items.get(i);
            DatasetItemEntity entity = new DatasetItemEntity();
            entity.datasetId = datasetId;
            entity.split = split;
            entity.position = i;
            entity.itemId = item.id();
            entity.text = item.text();
            entity.reference = item.reference();
            entity.testSpec = item.testSpec();
            entity.metadata = toJson(item.metadata());
            entity.sourceLine = item.line();
            entity.persist();
        }
    }

    private static DatasetSummary summary(DatasetEntity entity) {
        return new DatasetSummary(entity.id, entity.name, entity.owner, entity.format, entity.poolSize, entity.testSize, entity.seed,
                entity.duplicatesDropped, entity.createdAt, DatasetFormat.fromWire(entity.format).suggestedTask());
    }

    private static DatasetItem item(DatasetItemEntity entity) {
        try {
            Map<String, Object> metadata = JSON.readValue(entity.metadata, new TypeReference<>() {
            });
            return new DatasetItem(entity.itemId, entity.text, entity.reference, entity.testSpec, metadata, entity.sourceLine);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt metadata of dataset item " + entity.id, e);
        }
    }

    private static String toJson(Map<String, Object> metadata) {
        try {
            return JSON.writeValueAsString(metadata);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("metadata is not serializable", e);
        }
    }
}
