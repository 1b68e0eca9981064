-- One-to-one contact (/talk), peer listeners and anonymous feedback.
-- Nothing said in a conversation is ever stored: only that it happened, between whom, and when.

-- A request to talk, and (once someone accepts) the conversation it became.
CREATE TABLE talk_conversations (
    id               INTEGER PRIMARY KEY,
    chat_id          INTEGER NOT NULL,            -- the group whose people were asked
    member_id        INTEGER NOT NULL,            -- who asked
    kind             TEXT NOT NULL CHECK (kind IN ('admin', 'listener')),
    status           TEXT NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'open', 'closed', 'expired', 'cancelled')),
    topic            BLOB,                        -- encrypted; erased once the request is answered
    helper_id        INTEGER,                     -- who accepted
    round            INTEGER NOT NULL DEFAULT 1,  -- 2 once the request was sent a second time
    closed_reason    TEXT,
    created_at       INTEGER NOT NULL,
    accepted_at      INTEGER,
    last_activity_at INTEGER,
    closed_at        INTEGER
);
CREATE INDEX talk_conversations_member ON talk_conversations (member_id, status);
CREATE INDEX talk_conversations_helper ON talk_conversations (helper_id, status);
CREATE INDEX talk_conversations_closed ON talk_conversations (closed_at);

-- Copies of a pending request shown to possible helpers (so they can be updated); deleted
-- as soon as the request is taken, expires or is withdrawn.
CREATE TABLE talk_offers (
    id              INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES talk_conversations (id) ON DELETE CASCADE,
    helper_id       INTEGER,                      -- NULL for the copy in the admin team chat
    message_chat_id INTEGER NOT NULL,
    message_id      INTEGER NOT NULL,
    status          TEXT NOT NULL DEFAULT 'sent' CHECK (status IN ('sent', 'declined'))
);
CREATE INDEX talk_offers_conversation ON talk_offers (conversation_id);

-- Members who offered to listen, per group.
CREATE TABLE talk_listeners (
    user_id  INTEGER NOT NULL,
    chat_id  INTEGER NOT NULL,
    paused   INTEGER NOT NULL DEFAULT 0,
    since    INTEGER NOT NULL,
    PRIMARY KEY (user_id, chat_id)
) WITHOUT ROWID;
CREATE INDEX talk_listeners_chat ON talk_listeners (chat_id);

-- "Please don't match me with this listener again" (the member's own choice).
CREATE TABLE talk_avoid (
    member_id INTEGER NOT NULL,
    helper_id INTEGER NOT NULL,
    PRIMARY KEY (member_id, helper_id)
) WITHOUT ROWID;

-- A helper who ended a conversation because of abuse gets no more requests from that person.
CREATE TABLE talk_blocks (
    helper_id  INTEGER NOT NULL,
    member_id  INTEGER NOT NULL,
    chat_id    INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (helper_id, member_id)
) WITHOUT ROWID;

-- Anonymous feedback. Deliberately no sender, no timestamp, no row order: the key is random,
-- the table has no rowid (rows are kept in key order, not arrival order), and the only date is
-- the ISO week it arrived in. The text is encrypted.
CREATE TABLE talk_feedback (
    id      TEXT PRIMARY KEY,
    chat_id INTEGER NOT NULL,
    week    TEXT NOT NULL,
    body    BLOB NOT NULL
) WITHOUT ROWID;
CREATE INDEX talk_feedback_week ON talk_feedback (week);
