-- Moderation: warnings, mutes and exclusions, the deployment-wide blocklist, reports and flags,
-- admin team chat links, appeals. No group message text is ever stored; reasons are encrypted.

CREATE TABLE mod_warnings (
    id         INTEGER PRIMARY KEY,
    chat_id    INTEGER NOT NULL,
    user_id    INTEGER NOT NULL,
    actor_id   INTEGER,
    reason     BLOB,
    created_at INTEGER NOT NULL
);
CREATE INDEX mod_warnings_member ON mod_warnings (chat_id, user_id);

-- A mute or a temporary exclusion. status: active, ended (time ran out), lifted (by an admin).
CREATE TABLE mod_sanctions (
    id          INTEGER PRIMARY KEY,
    chat_id     INTEGER NOT NULL,
    user_id     INTEGER NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('mute', 'exclude')),
    actor_id    INTEGER,
    contact_id  INTEGER,
    reason      BLOB,
    starts_at   INTEGER NOT NULL,
    ends_at     INTEGER NOT NULL,
    status      TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'ended', 'lifted')),
    checkins    INTEGER NOT NULL DEFAULT 1,
    reached     INTEGER NOT NULL DEFAULT 0,
    finished_at INTEGER
);
CREATE INDEX mod_sanctions_member ON mod_sanctions (chat_id, user_id, status);

-- People kept out of every group of the deployment (solicitors).
CREATE TABLE mod_blocklist (
    user_id        INTEGER PRIMARY KEY,
    origin_chat_id INTEGER,
    actor_id       INTEGER,
    reason         BLOB,
    created_at     INTEGER NOT NULL
);

-- A report by members, or a solicitation flag by the bot, about one group message.
CREATE TABLE mod_reports (
    id          INTEGER PRIMARY KEY,
    chat_id     INTEGER NOT NULL,
    message_id  INTEGER NOT NULL,
    target_id   INTEGER,
    kind        TEXT NOT NULL CHECK (kind IN ('report', 'flag')),
    status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'handled')),
    outcome     TEXT,
    handled_by  INTEGER,
    reports     INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    handled_at  INTEGER,
    UNIQUE (chat_id, message_id, kind)
);

-- Who reported: a keyed one-way digest only, so a reporter can never be shown to anyone.
CREATE TABLE mod_report_reporters (
    report_id  INTEGER NOT NULL REFERENCES mod_reports (id) ON DELETE CASCADE,
    reporter   TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (report_id, reporter)
) WITHOUT ROWID;
CREATE INDEX mod_report_reporters_when ON mod_report_reporters (reporter, created_at);

-- The admins' copies of a report or an appeal, so every copy can show it was handled.
CREATE TABLE mod_copies (
    item       TEXT NOT NULL,
    item_id    INTEGER NOT NULL,
    chat_id    INTEGER NOT NULL,
    message_id INTEGER NOT NULL,
    PRIMARY KEY (item, item_id, chat_id, message_id)
) WITHOUT ROWID;

-- A pending /linkadmins: the admin team chat waits for a member group's admin to confirm.
CREATE TABLE mod_link_codes (
    code          TEXT PRIMARY KEY,
    admin_chat_id INTEGER NOT NULL,
    created_at    INTEGER NOT NULL
);

-- Appeals: the text is relayed to the admins, never stored.
CREATE TABLE mod_appeals (
    id          INTEGER PRIMARY KEY,
    chat_id     INTEGER NOT NULL,
    user_id     INTEGER NOT NULL,
    status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'lifted', 'kept')),
    handled_by  INTEGER,
    created_at  INTEGER NOT NULL,
    handled_at  INTEGER
);
CREATE INDEX mod_appeals_member ON mod_appeals (user_id, created_at);
