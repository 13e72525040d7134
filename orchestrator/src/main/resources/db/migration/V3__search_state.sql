-- The MASPO search engine's whole state (JSON), written after every transition so a restarted orchestrator
-- carries on; and the command of the engine that each dispatch is a part of (jobs are split per question).
ALTER TABLE run ADD COLUMN search_state TEXT;
ALTER TABLE run ADD COLUMN finish_reason TEXT;
ALTER TABLE dispatch ADD COLUMN command_id VARCHAR(300);
CREATE INDEX dispatch_command ON dispatch (run_id, command_id);
