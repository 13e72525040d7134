-- The search history, append-only: one row per step of the search (seq from 0, in the order the engine took them),
-- inserted in the transaction that stores the state the step led to, with ON CONFLICT DO NOTHING, so a transition
-- applied again after a crash or a redelivery adds nothing. Until now the history was embedded in run.search_state
-- and re-encoded with it on every transition. recorded_at and paid_calls (the run's paid LLM calls in llm_usage
-- then) are NULL for steps moved here from a state of the previous format (RunAdvancer), which did not keep them.
CREATE TABLE search_history (
    run_id      VARCHAR(64) NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    seq         INTEGER     NOT NULL,
    entry       TEXT        NOT NULL,
    recorded_at TIMESTAMPTZ,
    paid_calls  BIGINT,
    PRIMARY KEY (run_id, seq)
);
