-- The group's rhythm (issue 17): sessions and their runs, members' opt-in reminders, per-group
-- template texts, rules put to the group as a poll, and the anonymous pulse after a session.
CREATE TABLE sessions (
    id         INTEGER PRIMARY KEY,
    chat_id    INTEGER NOT NULL REFERENCES groups (chat_id) ON DELETE CASCADE ON UPDATE CASCADE,
    title      TEXT NOT NULL,
    rhythm     TEXT NOT NULL,          -- JSON: kind, at, weekday, nth, anchor
    thread_id  INTEGER,                -- the forum topic it meets in (NULL: the group itself)
    place      TEXT,                   -- a face-to-face place (name, address, hours)
    next_at    INTEGER,
    active     INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL
);
CREATE INDEX sessions_chat ON sessions (chat_id, active);

CREATE TABLE session_runs (
    id            INTEGER PRIMARY KEY,
    session_id    INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    chat_id       INTEGER NOT NULL REFERENCES groups (chat_id) ON DELETE CASCADE ON UPDATE CASCADE,
    occurrence_at INTEGER NOT NULL,
    step          INTEGER NOT NULL DEFAULT 0,
    skipped       TEXT NOT NULL DEFAULT '',
    message_id    INTEGER,
    open          INTEGER NOT NULL DEFAULT 1,
    started_at    INTEGER NOT NULL,
    closed_at     INTEGER,
    UNIQUE (session_id, occurrence_at)
);

-- A member's own choice; no row means no reminders (never required).
CREATE TABLE session_reminders (
    session_id  INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL,
    day_before  INTEGER NOT NULL DEFAULT 0,
    hour_before INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (session_id, user_id)
) WITHOUT ROWID;
CREATE INDEX session_reminders_user ON session_reminders (user_id);

CREATE TABLE session_texts (
    chat_id INTEGER NOT NULL REFERENCES groups (chat_id) ON DELETE CASCADE ON UPDATE CASCADE,
    part    TEXT NOT NULL,
    body    TEXT NOT NULL,
    PRIMARY KEY (chat_id, part)
) WITHOUT ROWID;

CREATE TABLE rules_polls (
    id         INTEGER PRIMARY KEY,
    chat_id    INTEGER NOT NULL REFERENCES groups (chat_id) ON DELETE CASCADE ON UPDATE CASCADE,
    message_id INTEGER NOT NULL,
    poll_id    TEXT NOT NULL UNIQUE,
    proposal   TEXT NOT NULL,
    closes_at  INTEGER NOT NULL,
    status     TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed', 'adopted')),
    yes        INTEGER NOT NULL DEFAULT 0,
    no         INTEGER NOT NULL DEFAULT 0,
    talk       INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);

-- "How is our group doing?": an optional reflection, at most once a quarter per group.
CREATE TABLE group_reflections (
    id        INTEGER PRIMARY KEY,
    chat_id   INTEGER NOT NULL REFERENCES groups (chat_id) ON DELETE CASCADE ON UPDATE CASCADE,
    opened_at INTEGER NOT NULL
);

-- Anonymous answers to a session's pulse or a group's reflection: no person id, the week
-- only. ``session_pulse_seen`` holds keyed digests so one person answers once per question;
-- they cannot be turned back into an id.
CREATE TABLE session_pulse (
    id            INTEGER PRIMARY KEY,
    run_id        INTEGER REFERENCES session_runs (id) ON DELETE CASCADE,
    reflection_id INTEGER REFERENCES group_reflections (id) ON DELETE CASCADE,
    chat_id       INTEGER NOT NULL REFERENCES groups (chat_id) ON DELETE CASCADE ON UPDATE CASCADE,
    answer        TEXT NOT NULL,
    improve       BLOB,
    week          TEXT NOT NULL,
    CHECK ((run_id IS NULL) != (reflection_id IS NULL))
);
CREATE TABLE session_pulse_seen (
    subject TEXT NOT NULL,                -- "run:<id>" or "reflection:<id>"
    digest  TEXT NOT NULL,
    PRIMARY KEY (subject, digest)
) WITHOUT ROWID;

-- A member's optional self-description; only ever counted for a group's balance (about
-- 70:30 lived experience to family and supporters), never shown for one person.
CREATE TABLE self_descriptions (
    user_id    INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('lived', 'family')),
    updated_at INTEGER NOT NULL
);
