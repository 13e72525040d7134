-- Every run and dataset belongs to the subject that created it. Rows from before authentication existed get a
-- placeholder owner that no token or key carries, so only an admin sees them.
ALTER TABLE run ADD COLUMN owner VARCHAR(255) NOT NULL DEFAULT 'unowned-before-v5';
ALTER TABLE run ALTER COLUMN owner DROP DEFAULT;
CREATE INDEX run_owner_created ON run (owner, created_at DESC);
ALTER TABLE dataset ADD COLUMN owner VARCHAR(255) NOT NULL DEFAULT 'unowned-before-v5';
ALTER TABLE dataset ALTER COLUMN owner DROP DEFAULT;
CREATE INDEX dataset_owner_created ON dataset (owner, created_at);

-- Long-lived API keys for scripts. The key itself is shown once at creation; only the SHA-256 of its secret part
-- is kept, looked up by the non-secret key id that the key carries in clear.
CREATE TABLE api_key (
    id           VARCHAR(32)  PRIMARY KEY,
    secret_hash  VARCHAR(64)  NOT NULL,
    owner        VARCHAR(255) NOT NULL,
    roles        VARCHAR(1000) NOT NULL,
    description  VARCHAR(200),
    created_by   VARCHAR(255) NOT NULL,
    created_at   TIMESTAMPTZ  NOT NULL,
    last_used_at TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ
);
