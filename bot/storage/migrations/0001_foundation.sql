-- Foundation: deployment metadata, groups, people the bot knows, timed work, audit log.
-- Timestamps are integer seconds since the epoch, UTC.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE groups (
    chat_id        INTEGER PRIMARY KEY,
    title          TEXT NOT NULL DEFAULT '',
    active         INTEGER NOT NULL DEFAULT 1,
    bot_is_admin   INTEGER NOT NULL DEFAULT 0,
    can_restrict   INTEGER NOT NULL DEFAULT 0,
    can_delete     INTEGER NOT NULL DEFAULT 0,
    can_invite     INTEGER NOT NULL DEFAULT 0,
    registered_at  INTEGER,
    language       TEXT NOT NULL DEFAULT 'en',
    timezone       TEXT NOT NULL DEFAULT 'Africa/Nairobi',
    join_mode      TEXT NOT NULL DEFAULT 'open' CHECK (join_mode IN ('open', 'approval', 'invitation')),
    rules_gate     INTEGER NOT NULL DEFAULT 1,
    flagging       INTEGER NOT NULL DEFAULT 1,
    admin_chat_id  INTEGER UNIQUE,
    crisis_country TEXT NOT NULL DEFAULT 'KE',
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);

CREATE TABLE users (
    user_id            INTEGER PRIMARY KEY,
    language           TEXT,
    telegram_language  TEXT,
    started_at         INTEGER,
    blocked_at         INTEGER,
    created_at         INTEGER NOT NULL
);

CREATE TABLE memberships (
    chat_id    INTEGER NOT NULL REFERENCES groups (chat_id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL,
    status     TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (chat_id, user_id)
) WITHOUT ROWID;
CREATE INDEX memberships_user ON memberships (user_id);

CREATE TABLE scheduled_actions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    kind        TEXT NOT NULL,
    due_at      INTEGER NOT NULL,
    chat_id     INTEGER,
    user_id     INTEGER,
    payload     TEXT NOT NULL DEFAULT '{}',
    dedupe_key  TEXT UNIQUE,
    status      TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'cancelled', 'failed')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    finished_at INTEGER
);
CREATE INDEX scheduled_pending ON scheduled_actions (status, due_at);

CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    chat_id    INTEGER,
    actor_id   INTEGER,
    action     TEXT NOT NULL,
    target_id  INTEGER,
    detail     BLOB,
    created_at INTEGER NOT NULL
);
CREATE INDEX audit_chat ON audit_log (chat_id, created_at);
CREATE INDEX audit_target ON audit_log (target_id);
