-- Kind words by consent (issue 18): the group is asked for kind messages only with the
-- member's yes. ``words`` (encrypted) are the member's approved words, kept only while the
-- invitation is asked or open; ``post_id`` is the group post, edited when it ends.
CREATE TABLE kindwords_invitations (
    id         INTEGER PRIMARY KEY,
    chat_id    INTEGER NOT NULL REFERENCES groups (chat_id) ON DELETE CASCADE ON UPDATE CASCADE,
    member_id  INTEGER NOT NULL,
    asked_by   INTEGER,
    state      TEXT NOT NULL CHECK (state IN ('asked', 'open', 'declined', 'ended')),
    words      BLOB,
    post_id    INTEGER,
    ends_at    INTEGER,
    created_at INTEGER NOT NULL
);
CREATE INDEX kindwords_invitations_member ON kindwords_invitations (member_id, state);

-- Each kind message relayed: who sent it (encrypted; for the senders' daily limit, muting and
-- a report to the administrators), and when. Removed when the invitation ends.
CREATE TABLE kindwords_sent (
    id            INTEGER PRIMARY KEY,
    invitation_id INTEGER NOT NULL REFERENCES kindwords_invitations (id) ON DELETE CASCADE,
    sender        BLOB NOT NULL,
    sent_at       INTEGER NOT NULL
);
CREATE INDEX kindwords_sent_invitation ON kindwords_sent (invitation_id, sent_at);

-- Senders the member muted for this invitation (encrypted); removed when it ends.
CREATE TABLE kindwords_muted (
    id            INTEGER PRIMARY KEY,
    invitation_id INTEGER NOT NULL REFERENCES kindwords_invitations (id) ON DELETE CASCADE,
    sender        BLOB NOT NULL
);
CREATE INDEX kindwords_muted_invitation ON kindwords_muted (invitation_id);
