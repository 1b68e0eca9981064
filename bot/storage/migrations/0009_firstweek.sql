-- Notices to a group's administrators that reached nobody (no admin had opened a private chat
-- with the bot, no admin team chat was linked): kept here until someone can be reached, then
-- delivered oldest first. ``body`` is encrypted (JSON: the notice rendered in every language,
-- with its buttons). ``item``/``item_id`` name what it is about (a report, a join request), so
-- a notice about something already settled is not delivered late, and the delivered copies
-- can show later that it was handled. A notice being sent is ``sending`` (claimed, so two
-- deliveries at once never both send it); one left so by a crash is kept again at start-up.
CREATE TABLE held_notices (
    id           INTEGER PRIMARY KEY,
    chat_id      INTEGER NOT NULL,
    item         TEXT,
    item_id      INTEGER,
    body         BLOB NOT NULL,
    team         INTEGER NOT NULL DEFAULT 1,
    anonymous    INTEGER NOT NULL DEFAULT 1,
    status       TEXT NOT NULL DEFAULT 'held'
                 CHECK (status IN ('held', 'sending', 'delivered', 'stale')),
    created_at   INTEGER NOT NULL,
    finished_at  INTEGER
);
CREATE INDEX held_notices_waiting ON held_notices (status, chat_id, id);

-- An appeal goes to the administrators other than the one who took the measure: who that was,
-- and whether the appeal reached someone else (then the one who acted does not decide it).
ALTER TABLE mod_appeals ADD COLUMN actor_id INTEGER;
ALTER TABLE mod_appeals ADD COLUMN routed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE mod_appeals ADD COLUMN measure TEXT;
