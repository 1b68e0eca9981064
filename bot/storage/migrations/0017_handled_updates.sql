-- The ids of updates already carried out (crash safety, issue 12 item 4): after a restart
-- Telegram sends again whatever was not confirmed, and an id found here is not carried out a
-- second time. Ids and times only: never an update's body, never a message's text.
CREATE TABLE handled_updates (
    update_id  INTEGER PRIMARY KEY,
    handled_at INTEGER NOT NULL
);
CREATE INDEX handled_updates_at ON handled_updates (handled_at);
