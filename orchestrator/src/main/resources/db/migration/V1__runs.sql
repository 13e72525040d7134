-- Run state of the orchestrator. Everything needed to carry on after a restart lives here.
CREATE TABLE run (
    id                 VARCHAR(64)  PRIMARY KEY,
    name               VARCHAR(200) NOT NULL,
    status             VARCHAR(20)  NOT NULL,
    phase              VARCHAR(40)  NOT NULL,
    spec               TEXT         NOT NULL,
    mas                TEXT         NOT NULL,
    models             TEXT         NOT NULL,
    best_prompts       TEXT         NOT NULL,
    seed_accuracy      DOUBLE PRECISION,
    optimized_accuracy DOUBLE PRECISION,
    error              TEXT,
    created_at         TIMESTAMPTZ  NOT NULL,
    updated_at         TIMESTAMPTZ  NOT NULL,
    finished_at        TIMESTAMPTZ
);
CREATE INDEX run_active ON run (status) WHERE status IN ('PENDING', 'RUNNING');

-- Every command sent to another service that awaits an answer (and the answer). Written in the same
-- transaction as the state change that needs it, so a crash between commit and send is repaired by
-- re-sending what is still PENDING; request ids are deterministic, so receivers recognise repeats.
CREATE TABLE dispatch (
    request_id   VARCHAR(300) PRIMARY KEY,
    run_id       VARCHAR(64)  NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    seq          BIGSERIAL    NOT NULL,
    kind         VARCHAR(40)  NOT NULL,
    topic        VARCHAR(200) NOT NULL,
    message_key  VARCHAR(400) NOT NULL,
    payload      TEXT         NOT NULL,
    awaits_reply BOOLEAN      NOT NULL,
    status       VARCHAR(20)  NOT NULL,
    reply        TEXT,
    error        TEXT,
    sent_at      TIMESTAMPTZ  NOT NULL,
    completed_at TIMESTAMPTZ
);
CREATE INDEX dispatch_run_kind ON dispatch (run_id, kind, status);
CREATE INDEX dispatch_pending ON dispatch (status, sent_at) WHERE status = 'PENDING';

-- LLM cost per run and model role, summed from the evaluators' usage reports (each applied once).
CREATE TABLE run_cost (
    run_id            VARCHAR(64) NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    role              VARCHAR(20) NOT NULL,
    calls             BIGINT      NOT NULL DEFAULT 0,
    cached_calls      BIGINT      NOT NULL DEFAULT 0,
    prompt_tokens     BIGINT      NOT NULL DEFAULT 0,
    completion_tokens BIGINT      NOT NULL DEFAULT 0,
    millis            BIGINT      NOT NULL DEFAULT 0,
    PRIMARY KEY (run_id, role)
);
