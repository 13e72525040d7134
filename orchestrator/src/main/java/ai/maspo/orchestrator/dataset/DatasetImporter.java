package ai.maspo.orchestrator.dataset;

import ai.maspo.orchestrator.dataset.ImportRequest.Source;
import ai.maspo.orchestrator.dataset.ImportRequest.Split;
import ai.maspo.orchestrator.domain.Limits;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Parses, validates and splits an import request into an optimization pool and a disjoint test set.
 * Plain Java and all-or-nothing: it either returns the whole dataset or throws {@link DatasetImportException}.
 */
public final class DatasetImporter {

    static final int DEFAULT_POOL_SIZE = 50;

    private final PathRoots paths;

    public DatasetImporter(PathRoots paths) {
        this.paths = paths;
    }

    public ImportedDataset importDataset(ImportRequest request) {
        if (request.name() == null || request.name().isBlank()) {
            throw new DatasetImportException("name", "required");
        }
        if (request.name().length() > Limits.NAME) {
            throw new DatasetImportException("name", "longer than " + Limits.NAME + " characters");
        }
        if (request.format() == null) {
            throw new DatasetImportException("format", "required");
        }
        DatasetFormat format = DatasetFormat.fromWire(request.format());
        if (request.fields() != null && format != DatasetFormat.GENERIC) {
            throw new DatasetImportException("fields", "a field mapping is only read by the generic format");
        }
        Split split = request.split() == null ? new Split(null, null, null, null, null) : request.split();
        long seed = split.seed() == null ? 0L : split.seed();
        requirePositive(split.poolSize(), "split.poolSize");
        requirePositive(split.testSize(), "split.testSize");
        ImportedDataset dataset = split.pool() != null || split.test() != null
                ? fromSplitFiles(request, format, split, seed)
                : fromOneSource(request, format, split, seed);
        requireStorableItems(dataset);
        return dataset;
    }

    private ImportedDataset fromOneSource(ImportRequest request, DatasetFormat format, Split split, long seed) {
        Deduplicated items = deduplicate(load(new Source(request.path(), request.content()), null, "", format, request.fields()));
        int total = items.kept().size();
        int poolSize = split.poolSize() == null ? Math.min(DEFAULT_POOL_SIZE, total - 1) : split.poolSize();
        if (poolSize < 1 || poolSize >= total) {
            throw new DatasetImportException("split.poolSize", poolSize + " pool questions leave no test questions out of " + total);
        }
        int testSize = split.testSize() == null ? Math.min(total - poolSize, Limits.QUESTIONS) : split.testSize();
        if (poolSize + testSize > total) {
            throw new DatasetImportException("split.testSize", "pool " + poolSize + " + test " + testSize + " exceeds the " + total + " questions");
        }
        List<DatasetItem> shuffled = new ArrayList<>(items.kept());
        Collections.shuffle(shuffled, new Random(seed));
        List<DatasetItem> test = List.copyOf(shuffled.subList(poolSize, poolSize + testSize));
        requireLabelled(test, null);
        return new ImportedDataset(request.name().strip(), format, seed, List.copyOf(shuffled.subList(0, poolSize)), test, items.dropped());
    }

    private ImportedDataset fromSplitFiles(ImportRequest request, DatasetFormat format, Split split, long seed) {
        if (split.pool() == null || split.test() == null) {
            throw new DatasetImportException(split.pool() == null ? "split.pool" : "split.test", "split files come in pairs: give both pool and test");
        }
        if (request.path() != null || request.content() != null) {
            throw new DatasetImportException(request.path() != null ? "path" : "content", "give either one source or split files, not both");
        }
        Deduplicated pool = deduplicate(load(split.pool(), "split.pool", "pool-", format, request.fields()));
        Deduplicated test = deduplicate(load(split.test(), "split.test", "test-", format, request.fields()));
        Map<String, DatasetItem> poolByText = new HashMap<>();
        pool.kept().forEach(item -> poolByText.put(item.text().strip(), item));
        for (DatasetItem item : test.kept()) {
            DatasetItem same = poolByText.get(item.text().strip());
            if (same != null) {
                throw new DatasetImportException("split.test", item.line(), null, "question also in the pool (split.pool line " + same.line() + ")");
            }
        }
        Random random = new Random(seed);
        List<DatasetItem> poolItems = sample(pool.kept(), split.poolSize(), random, "split.poolSize");
        List<DatasetItem> testItems = sample(test.kept(), split.testSize(), random, "split.testSize");
        requireLabelled(testItems, "split.test");
        return new ImportedDataset(request.name().strip(), format, seed, poolItems, testItems, pool.dropped() + test.dropped());
    }

    private List<DatasetItem> load(Source source, String sourceName, String idPrefix, DatasetFormat format, FieldMapping mapping) {
        String prefix = sourceName == null ? "" : sourceName + ".";
        String text = read(source, prefix);
        String field = prefix + (source.content() != null ? "content" : "path");
        try {
            return JsonlRows.parse(text, field).stream().map(row -> FormatAdapters.adapt(format, row, idPrefix, mapping)).toList();
        } catch (DatasetImportException e) {
            throw sourceName == null || e.line() == null ? e : e.in(sourceName);
        }
    }

    private String read(Source source, String prefix) {
        boolean hasPath = source.path() != null && !source.path().isBlank();
        boolean hasContent = source.content() != null;
        if (hasPath == hasContent) {
            throw new DatasetImportException(prefix + (hasPath ? "content" : "path"),
                    hasPath ? "give either path or content, not both" : "a source needs path or content");
        }
        return hasPath ? paths.read(source.path(), prefix + "path") : source.content();
    }

    private record Deduplicated(List<DatasetItem> kept, int dropped) {
    }

    /** identical question texts are kept once, so that a seeded split can never put one question on both sides */
    private static Deduplicated deduplicate(List<DatasetItem> items) {
        Map<String, DatasetItem> byText = new LinkedHashMap<>();
        items.forEach(item -> byText.putIfAbsent(item.text().strip(), item));
        return new Deduplicated(List.copyOf(byText.values()), items.size() - byText.size());
    }

    /** {@code size} null: the whole file, or a seeded sample of the most a run can take */
    private static List<DatasetItem> sample(List<DatasetItem> items, Integer requested, Random random, String field) {
        Integer size = requested == null && items.size() > Limits.QUESTIONS ? Integer.valueOf(Limits.QUESTIONS) : requested;
        if (size == null) {
            return items;
        }
        if (size > items.size()) {
            throw new DatasetImportException(field, size + " requested but the file has " + items.size() + " questions");
        }
        List<DatasetItem> shuffled = new ArrayList<>(items);
        Collections.shuffle(shuffled, random);
        return List.copyOf(shuffled.subList(0, size));
    }

    private static void requireLabelled(List<DatasetItem> test, String sourceName) {
        for (DatasetItem item : test) {
            if (!item.labelled()) {
                throw new DatasetImportException(sourceName, item.line(), "reference", "test questions need a reference answer or tests");
            }
        }
    }

    /** unique ids, and every question within the bounds of a run spec, so that any imported dataset can be run */
    private static void requireStorableItems(ImportedDataset dataset) {
        Map<String, DatasetItem> byId = new HashMap<>();
        for (List<DatasetItem> side : List.of(dataset.pool(), dataset.test())) {
            for (DatasetItem item : side) {
                requireAtMost(item, "id", item.id(), Limits.QUESTION_ID);
                requireAtMost(item, "text", item.text(), Limits.QUESTION_TEXT);
                requireAtMost(item, "reference", item.reference(), Limits.REFERENCE);
                requireAtMost(item, "tests", item.testSpec(), Limits.TESTS);
                DatasetItem earlier = byId.putIfAbsent(item.id(), item);
                if (earlier != null) {
                    throw new DatasetImportException(null, item.line(), "id", "id '" + item.id() + "' repeats line " + earlier.line());
                }
            }
        }
    }

    private static void requireAtMost(DatasetItem item, String field, String value, int max) {
        if (value != null && value.length() > max) {
            throw new DatasetImportException(null, item.line(), field, "longer than " + max + " characters");
        }
    }

    private static void requirePositive(Integer value, String field) {
        if (value != null && value < 1) {
            throw new DatasetImportException(field, "must be at least 1");
        }
    }
}
