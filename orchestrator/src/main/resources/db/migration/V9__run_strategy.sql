-- The run list filters and shows a run's strategy: a column, so neither needs to decode every run's spec.
ALTER TABLE run ADD COLUMN strategy VARCHAR(50);
UPDATE run SET strategy = coalesce(spec::jsonb -> 'search' ->> 'strategy', 'maspo');
ALTER TABLE run ALTER COLUMN strategy SET NOT NULL;
-- An admin's list is every run, newest first (an owner's list has run_owner_created).
CREATE INDEX run_created ON run (created_at DESC);
