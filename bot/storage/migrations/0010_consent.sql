-- Consent (issue 10): who may receive a disclosure is decided inside the gate.
--
-- memberships: when the bot first knew the person was in the group, and who put them there
-- (another person adding them; NULL when they came in themselves or were there before the bot).
ALTER TABLE memberships ADD COLUMN joined_at INTEGER;
ALTER TABLE memberships ADD COLUMN added_by INTEGER;

-- escalations: the member's own choices for this request — which group's administrators
-- (chat_chosen), a named administrator (admin_chosen), and what each person's yes covers
-- (purposes: {"person id": ["help", "see", "contact"]}, exactly what was ticked).
ALTER TABLE circle_escalations ADD COLUMN chat_chosen INTEGER NOT NULL DEFAULT 0;
ALTER TABLE circle_escalations ADD COLUMN admin_chosen INTEGER NOT NULL DEFAULT 0;
ALTER TABLE circle_escalations ADD COLUMN purposes TEXT NOT NULL DEFAULT '{}';

-- disclosures: 'pending' until Telegram accepted the message that carries it ('seen'), or
-- 'undelivered' when it never could be. The outbox message names the disclosures it carries.
ALTER TABLE circle_disclosures ADD COLUMN status TEXT NOT NULL DEFAULT 'seen'
    CHECK (status IN ('pending', 'seen', 'undelivered'));
ALTER TABLE circle_outbox ADD COLUMN disclosures TEXT;

-- support persons: the Telegram account that opened the invite waits for the member's
-- "yes, that is them" (tg_status 'confirming'); nothing is sent to it before.
CREATE TABLE circle_confirmations (
    person_id  INTEGER PRIMARY KEY REFERENCES circle_persons (id) ON DELETE CASCADE,
    member_id  INTEGER NOT NULL,
    tg_user    BLOB NOT NULL,
    shown_as   BLOB NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX circle_confirmations_member ON circle_confirmations (member_id);

-- What the gate refused, and why (reason codes only: no names, numbers or text).
CREATE TABLE circle_refusals (
    id            INTEGER PRIMARY KEY,
    member_id     INTEGER NOT NULL,
    escalation_id INTEGER,
    chat_id       INTEGER,
    recipient_id  INTEGER,
    purpose       TEXT NOT NULL,
    reason        TEXT NOT NULL,
    created_at    INTEGER NOT NULL
);
CREATE INDEX circle_refusals_member ON circle_refusals (member_id);

-- Administrators on duty for a group (/duty on|off).
CREATE TABLE circle_duty (
    chat_id    INTEGER NOT NULL REFERENCES groups (chat_id) ON DELETE CASCADE ON UPDATE CASCADE,
    user_id    INTEGER NOT NULL,
    since      INTEGER NOT NULL,
    PRIMARY KEY (chat_id, user_id)
) WITHOUT ROWID;

-- Phone cards handed to administrators, for a fair rotation (ids only).
CREATE TABLE circle_cards (
    chat_id    INTEGER NOT NULL,
    admin_id   INTEGER NOT NULL,
    last_at    INTEGER NOT NULL,
    PRIMARY KEY (chat_id, admin_id)
) WITHOUT ROWID;

-- An advance decision holds for the administrators of the groups the member was in (and
-- shown) when deciding — not for a group joined later.
CREATE TABLE circle_advance_groups (
    member_id  INTEGER NOT NULL,
    chat_id    INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (member_id, chat_id)
) WITHOUT ROWID;
