-- Crash safety (issue 12 item 4): a message written while an update is handled is keyed by
-- its cause (the update, the chat, the kind, and how many of that kind to that chat the
-- handling wrote before it). When the update is handled again after a kill (its id was not
-- recorded yet), a message already written is found by its key and not written again, so it
-- is not sent twice. Ids and a kind only: never a text.
ALTER TABLE circle_outbox ADD COLUMN cause TEXT;
CREATE UNIQUE INDEX circle_outbox_cause ON circle_outbox (cause) WHERE cause IS NOT NULL;
