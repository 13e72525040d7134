-- The answers of reproducible LLM requests (temperature 0 or an explicit seed), shared by every evaluator replica
-- and kept across restarts, so a run pays each distinct request once however many evaluators serve it.
-- A row without an answer is a claim: the replica claimed_by is calling the LLM for it and refreshes claimed_at
-- while it does; others wait for its answer, and take the claim over when claimed_at is older than the lease.
CREATE TABLE llm_answers (
    -- SHA-256 of endpoint, role and the request's final JSON body (model, messages and every parameter)
    request_key       bytea PRIMARY KEY CHECK (length(request_key) = 32),
    endpoint          text        NOT NULL,
    role              text        NOT NULL,
    model             text        NOT NULL,
    claimed_by        uuid        NOT NULL,
    claimed_at        timestamptz NOT NULL,
    -- the content without its reasoning, and the reasoning (NULL when the model gave none)
    answer            text,
    reasoning         text,
    prompt_tokens     bigint,
    completion_tokens bigint,
    answered_at       timestamptz,
    CHECK ((answer IS NULL) = (answered_at IS NULL))
);

-- retention: answers older than maspo.evaluator.answer-cache.retention are deleted
CREATE INDEX llm_answers_answered_at ON llm_answers (answered_at) WHERE answered_at IS NOT NULL;
