-- Crash safety (issue 12 item 4): a message written while an update is handled is keyed by
-- its cause (the update, the chat, the kind, and how many of that kind to that chat the
-- handling wrote before it). When the update is handled again after a kill (its id was not
-- recorded yet), a message already written is found by its key and not written again, so it
-- is not sent twice. Ids and a kind only: never a text.
ALTER TABLE circle_outbox ADD COLUMN cause TEXT;
CREATE UNIQUE INDEX circle_outbox_cause ON circle_outbox (cause) WHERE cause IS NOT NULL;

-- An effect outside the database (a ban) that an update's handling is about to make, noted just
-- before it: a kill after the effect and before its record leaves the update to be carried out
-- again, and the second run knows the effect may already be in place (the member it banned is
-- no longer "in the group"). Ids and a short effect name only; pruned with handled_updates.
CREATE TABLE update_effects (
    update_id INTEGER NOT NULL,
    effect    TEXT NOT NULL,
    begun_at  INTEGER NOT NULL,
    PRIMARY KEY (update_id, effect)
);
CREATE INDEX update_effects_at ON update_effects (begun_at);
