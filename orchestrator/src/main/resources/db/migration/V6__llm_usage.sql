-- The LLM spend ledger: one row per usage report and model role, appended as the evaluators pay for calls
-- (every attempt, failed ones included). A run's cost is the sum of its rows; the report id makes a report
-- redelivered by Kafka count once (INSERT ... ON CONFLICT DO NOTHING).
CREATE TABLE llm_usage (
    report_id         VARCHAR(100) NOT NULL,
    role              VARCHAR(20)  NOT NULL,
    run_id            VARCHAR(64)  NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    request_id        VARCHAR(300) NOT NULL,
    calls             BIGINT       NOT NULL,
    cached_calls      BIGINT       NOT NULL,
    prompt_tokens     BIGINT       NOT NULL,
    completion_tokens BIGINT       NOT NULL,
    millis            BIGINT       NOT NULL,
    received_at       TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (report_id, role)
);
CREATE INDEX llm_usage_run ON llm_usage (run_id);
