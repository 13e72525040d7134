-- Answers to dispatched jobs, append-only: one row per request id, written for a whole batch of Kafka records in
-- one INSERT ... ON CONFLICT DO NOTHING (a redelivered answer inserts nothing), instead of updating the dispatch row
-- and re-reading every reply of a command per answer. status is SUCCEEDED (body = the reply) or FAILED (body =
-- the error).
CREATE TABLE job_reply (
    request_id  VARCHAR(300) PRIMARY KEY,
    run_id      VARCHAR(64)  NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    command_id  VARCHAR(300),
    kind        VARCHAR(40)  NOT NULL,
    status      VARCHAR(20)  NOT NULL,
    body        TEXT,
    received_at TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX job_reply_command ON job_reply (run_id, command_id);
CREATE INDEX job_reply_kind ON job_reply (run_id, kind);
