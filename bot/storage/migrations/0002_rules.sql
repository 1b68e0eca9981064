-- Ground rules: versions kept in history, who agreed to which version and when, newcomers
-- waiting at the gate, join requests, and each group's rules settings (reminder schedule).
-- Version 0 is the suggested default rules (not stored: read from config/rules/<lang>.txt).

CREATE TABLE rules_versions (
    chat_id    INTEGER NOT NULL REFERENCES groups (chat_id) ON DELETE CASCADE ON UPDATE CASCADE,
    version    INTEGER NOT NULL CHECK (version > 0),
    body       TEXT NOT NULL,
    author_id  INTEGER,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (chat_id, version)
) WITHOUT ROWID;

CREATE TABLE rules_acceptances (
    chat_id     INTEGER NOT NULL REFERENCES groups (chat_id) ON DELETE CASCADE ON UPDATE CASCADE,
    user_id     INTEGER NOT NULL,
    version     INTEGER NOT NULL,
    accepted_at INTEGER NOT NULL,
    PRIMARY KEY (chat_id, user_id, version)
) WITHOUT ROWID;
CREATE INDEX rules_acceptances_user ON rules_acceptances (user_id);

-- Newcomers who have not agreed yet (one row while they wait; removed once they agree or leave).
CREATE TABLE rules_gate (
    chat_id     INTEGER NOT NULL REFERENCES groups (chat_id) ON DELETE CASCADE ON UPDATE CASCADE,
    user_id     INTEGER NOT NULL,
    version     INTEGER NOT NULL,
    message_id  INTEGER,
    restricted  INTEGER NOT NULL DEFAULT 0,
    joined_at   INTEGER NOT NULL,
    reminded_at INTEGER,
    PRIMARY KEY (chat_id, user_id)
) WITHOUT ROWID;

CREATE TABLE rules_join_requests (
    id           INTEGER PRIMARY KEY,
    chat_id      INTEGER NOT NULL REFERENCES groups (chat_id) ON DELETE CASCADE ON UPDATE CASCADE,
    user_id      INTEGER NOT NULL,
    user_chat_id INTEGER,
    status       TEXT NOT NULL DEFAULT 'pending'
                 CHECK (status IN ('pending', 'approved', 'declined', 'expired')),
    requested_at INTEGER NOT NULL,
    decided_at   INTEGER,
    decided_by   INTEGER,
    how          TEXT
);
CREATE UNIQUE INDEX rules_join_requests_pending
    ON rules_join_requests (chat_id, user_id) WHERE status = 'pending';

CREATE TABLE rules_settings (
    chat_id          INTEGER PRIMARY KEY REFERENCES groups (chat_id) ON DELETE CASCADE ON UPDATE CASCADE,
    reminders        INTEGER NOT NULL DEFAULT 1,
    reminder_weekday INTEGER NOT NULL DEFAULT 0 CHECK (reminder_weekday BETWEEN 0 AND 6),
    reminder_time    TEXT NOT NULL DEFAULT '10:00',
    reacceptance     INTEGER NOT NULL DEFAULT 0,
    rules_where      TEXT NOT NULL DEFAULT 'group' CHECK (rules_where IN ('group', 'private'))
);
