package ai.maspo.orchestrator.dataset;

import java.util.Locale;

/** The two disjoint parts of a dataset. */
public enum DatasetSplit {
    POOL, TEST;

    /** @throws DatasetImportException for anything but pool/test (case-insensitive) */
    public static DatasetSplit fromWire(String name) {
        for (DatasetSplit split : values()) {
            if (split.name().equalsIgnoreCase(name == null ? "" : name.strip())) {
                return split;
            }
        }
        throw new DatasetImportException("split", "expected pool or test, got '" + name + "'");
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
