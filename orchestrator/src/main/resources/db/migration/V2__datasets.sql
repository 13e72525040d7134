-- Imported datasets: an optimization pool and a disjoint test set per dataset.
CREATE TABLE dataset (
    id                 VARCHAR(64)  PRIMARY KEY,
    name               VARCHAR(200) NOT NULL,
    format             VARCHAR(40)  NOT NULL,
    seed               BIGINT       NOT NULL,
    pool_size          INTEGER      NOT NULL,
    test_size          INTEGER      NOT NULL,
    duplicates_dropped INTEGER      NOT NULL,
    created_at         TIMESTAMPTZ  NOT NULL
);

CREATE TABLE dataset_item (
    id         BIGSERIAL    PRIMARY KEY,
    dataset_id VARCHAR(64)  NOT NULL REFERENCES dataset (id) ON DELETE CASCADE,
    split      VARCHAR(8)   NOT NULL CHECK (split IN ('POOL', 'TEST')),
    position   INTEGER      NOT NULL,
    item_id    VARCHAR(300) NOT NULL,
    text       TEXT         NOT NULL,
    reference  TEXT,
    test_spec  TEXT,
    metadata   TEXT         NOT NULL,
    source_line INTEGER     NOT NULL,
    -- one id per dataset: a question cannot be in both the pool and the test set
    UNIQUE (dataset_id, item_id),
    UNIQUE (dataset_id, split, position)
);
