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

-- Who sent a kind message when, for the senders' daily limit: a keyed digest of the sender
-- (never the id), removed when the invitation ends.
CREATE TABLE kindwords_sent (
    invitation_id INTEGER NOT NULL REFERENCES kindwords_invitations (id) ON DELETE CASCADE,
    sender_digest TEXT NOT NULL,
    sent_at       INTEGER NOT NULL
);
CREATE INDEX kindwords_sent_sender ON kindwords_sent (invitation_id, sender_digest);
