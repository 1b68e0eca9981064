-- What the bot expects next from a person in the private chat (a topic, a feedback draft, an
-- answer to a guided question, rules being written). One row per person; it expires, and it
-- survives a restart. ``payload`` holds ids and step names only, never what the person wrote.
CREATE TABLE awaiting (
    user_id    INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL,          -- "feature.what", e.g. "talk.topic"
    payload    TEXT NOT NULL DEFAULT '{}',
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX awaiting_expires ON awaiting (expires_at);
