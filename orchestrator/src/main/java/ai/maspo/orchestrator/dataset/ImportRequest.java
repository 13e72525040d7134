package ai.maspo.orchestrator.dataset;

import ai.maspo.orchestrator.domain.Limits;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code POST /api/v1/datasets}. The data comes either from one source ({@code path} or
 * {@code content}) split by seed, or from two split sources {@code split.pool} and {@code split.test}.
 *
 * @param name    display name
 * @param format  a {@link DatasetFormat} wire name
 * @param path    a JSONL file on the orchestrator's file system, under one of {@code maspo.datasets.path-roots}
 * @param content JSONL text (at most 30,000,000 characters and 50,000 records)
 * @param fields  field mapping, for the {@code generic} format only
 * @param split   how to form the optimization pool and the test set (optional: pool of 50, the rest for testing, seed 0)
 */
public record ImportRequest(@Size(max = Limits.NAME) String name, @Size(max = Limits.WORD) String format,
                            @Size(max = Limits.PATH) String path, @Size(max = Limits.DATASET_CONTENT) String content,
                            @Valid FieldMapping fields, @Valid Split split) {

    /**
     * @param poolSize questions in the optimization pool (default 50, or the whole pool file)
     * @param testSize questions in the test set (default: all remaining, or the whole test file)
     * @param seed     seed of the shuffle that picks them (default 0)
     * @param pool     a separate pool file (e.g. AQuA val.jsonl); then {@code test} is required too
     * @param test     a separate test file (e.g. AQuA test.jsonl)
     */
    public record Split(@Min(1) @Max(Limits.QUESTIONS) Integer poolSize, @Min(1) @Max(Limits.QUESTIONS) Integer testSize,
                        Long seed, @Valid Source pool, @Valid Source test) {
    }

    /** exactly one of {@code path} and {@code content} */
    public record Source(@Size(max = Limits.PATH) String path, @Size(max = Limits.DATASET_CONTENT) String content) {
    }
}
