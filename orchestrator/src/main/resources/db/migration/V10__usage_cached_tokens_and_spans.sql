-- Usage reports now carry the prompt tokens the provider served from its prompt cache (priced apart) and the span of
-- the attempts whose time they report (epoch milliseconds, first start to last end), from which a role's elapsed time
-- is the union of spans rather than a sum. Rows written before carry 0: no cached tokens, no span.
ALTER TABLE llm_usage
    ADD COLUMN cached_prompt_tokens BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN busy_from            BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN busy_until           BIGINT NOT NULL DEFAULT 0;
