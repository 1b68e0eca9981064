-- My circle: support persons, "never contact" list, invites, help text, the consent ledger,
-- escalations, disclosure records, the outbox for critical messages, and guided-conversation
-- drafts. Every name, number, note, help text and wish is encrypted (BLOB) by the repository.

CREATE TABLE circle_persons (
    id           INTEGER PRIMARY KEY,
    member_id    INTEGER NOT NULL,
    name         BLOB NOT NULL,
    name_digest  TEXT NOT NULL,
    relationship BLOB,
    phone        BLOB,
    notes        BLOB,
    asked        INTEGER NOT NULL DEFAULT 0,
    tg_user      BLOB,
    tg_digest    TEXT,
    tg_status    TEXT NOT NULL DEFAULT 'none'
                 CHECK (tg_status IN ('none', 'invited', 'accepted', 'declined', 'stepped_down')),
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
CREATE INDEX circle_persons_member ON circle_persons (member_id);
CREATE INDEX circle_persons_tg ON circle_persons (tg_digest);

CREATE TABLE circle_never (
    id           INTEGER PRIMARY KEY,
    member_id    INTEGER NOT NULL,
    name         BLOB NOT NULL,
    name_digest  TEXT NOT NULL,
    relationship BLOB,
    created_at   INTEGER NOT NULL
);
CREATE INDEX circle_never_member ON circle_never (member_id);

CREATE TABLE circle_invites (
    id            INTEGER PRIMARY KEY,
    token_digest  TEXT NOT NULL UNIQUE,
    person_id     INTEGER NOT NULL REFERENCES circle_persons (id) ON DELETE CASCADE,
    member_id     INTEGER NOT NULL,
    opened_digest TEXT,
    status        TEXT NOT NULL DEFAULT 'open'
                  CHECK (status IN ('open', 'opened', 'accepted', 'declined', 'revoked')),
    expires_at    INTEGER NOT NULL,
    created_at    INTEGER NOT NULL,
    answered_at   INTEGER
);
CREATE INDEX circle_invites_person ON circle_invites (person_id);

CREATE TABLE circle_profiles (
    member_id    INTEGER PRIMARY KEY,
    display_name BLOB,
    help_text    BLOB,
    updated_at   INTEGER NOT NULL
);

-- The consent ledger is append-only: rows are never changed. (Only /forgetme deletes them.)
CREATE TABLE circle_consents (
    id            INTEGER PRIMARY KEY,
    member_id     INTEGER NOT NULL,
    person_id     INTEGER NOT NULL,
    purpose       TEXT NOT NULL CHECK (purpose IN ('see', 'contact', 'help')),
    scope         TEXT NOT NULL CHECK (scope IN ('advance', 'live')),
    escalation_id INTEGER,
    event         TEXT NOT NULL CHECK (event IN ('given', 'withdrawn', 'expired')),
    expires_at    INTEGER,
    wait_minutes  INTEGER,
    wishes        BLOB,
    created_at    INTEGER NOT NULL
);
CREATE INDEX circle_consents_member ON circle_consents (member_id, person_id, purpose);
CREATE TRIGGER circle_consents_append_only BEFORE UPDATE ON circle_consents
BEGIN
    SELECT RAISE(ABORT, 'the consent ledger is append-only');
END;

CREATE TABLE circle_escalations (
    id          INTEGER PRIMARY KEY,
    member_id   INTEGER NOT NULL,
    chat_id     INTEGER,
    kind        TEXT NOT NULL CHECK (kind IN ('member', 'admin')),
    admin_id    INTEGER,
    admin_name  BLOB,
    status      TEXT NOT NULL,
    persons     TEXT NOT NULL DEFAULT '[]',
    due_at      INTEGER,
    created_at  INTEGER NOT NULL,
    answered_at INTEGER
);
CREATE INDEX circle_escalations_member ON circle_escalations (member_id);

CREATE TABLE circle_disclosures (
    id             INTEGER PRIMARY KEY,
    member_id      INTEGER NOT NULL,
    person_id      INTEGER,
    person_label   BLOB,
    recipient_kind TEXT NOT NULL CHECK (recipient_kind IN ('admin', 'person')),
    recipient_id   INTEGER NOT NULL,
    recipient_name BLOB,
    what           TEXT NOT NULL CHECK (what IN ('details', 'help_text', 'wishes')),
    consent_id     INTEGER NOT NULL,
    consent_at     INTEGER NOT NULL,
    escalation_id  INTEGER,
    created_at     INTEGER NOT NULL
);
CREATE INDEX circle_disclosures_member ON circle_disclosures (member_id);

CREATE TABLE circle_outbox (
    id         INTEGER PRIMARY KEY,
    chat_id    INTEGER NOT NULL,
    body       BLOB NOT NULL,
    markup     TEXT,
    kind       TEXT NOT NULL,
    member_id  INTEGER,
    fail_chat  INTEGER,
    fail_body  BLOB,
    status     TEXT NOT NULL DEFAULT 'pending'
               CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
    attempts   INTEGER NOT NULL DEFAULT 0,
    claimed_at INTEGER,
    created_at INTEGER NOT NULL,
    sent_at    INTEGER
);
CREATE INDEX circle_outbox_status ON circle_outbox (status);

CREATE TABLE circle_drafts (
    user_id    INTEGER PRIMARY KEY,
    state      TEXT NOT NULL,
    data       BLOB NOT NULL,
    updated_at INTEGER NOT NULL
);
