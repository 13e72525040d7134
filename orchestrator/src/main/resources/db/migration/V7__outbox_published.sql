-- Outbox relay: a command counts as delivered only once the broker acknowledged it (acks=all). Until then
-- published_at is NULL and the relay (re-)publishes it; a last-resort re-send of an awaited command that stays
-- unanswered sets it back to NULL. One-way commands (status SENT) are relayed the same way.
ALTER TABLE dispatch ADD COLUMN published_at TIMESTAMPTZ;
-- Rows written before this version: those answered or one-way were sent; those still awaiting an answer are
-- re-published once (receivers are idempotent by request id), as the previous start-up re-send did.
UPDATE dispatch SET published_at = sent_at WHERE status <> 'PENDING';
CREATE INDEX dispatch_unpublished ON dispatch (seq) WHERE published_at IS NULL;
CREATE INDEX dispatch_awaiting ON dispatch (published_at) WHERE status = 'PENDING' AND awaits_reply;
