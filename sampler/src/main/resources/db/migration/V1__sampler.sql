-- The sampler's own schema: question pools, misalignment memory and the mini-batches it has answered.
CREATE TABLE pool_question (
    run_id      VARCHAR(64)  NOT NULL,
    question_id VARCHAR(200) NOT NULL,
    position    INT          NOT NULL,
    text        TEXT         NOT NULL,
    reference   TEXT,
    tests       TEXT,
    PRIMARY KEY (run_id, question_id)
);

CREATE TABLE misalignment_case (
    run_id      VARCHAR(64)  NOT NULL,
    agent_id    VARCHAR(200) NOT NULL,
    question_id VARCHAR(200) NOT NULL,
    priority    INT          NOT NULL,
    layer       INT          NOT NULL,
    recorded_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (run_id, agent_id, question_id)
);

-- A mini-batch request answered once is answered the same way when redelivered.
CREATE TABLE minibatch (
    request_id VARCHAR(300) PRIMARY KEY,
    run_id     VARCHAR(64)  NOT NULL,
    payload    TEXT         NOT NULL,
    created_at TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX minibatch_run ON minibatch (run_id);
