-- A chosen peer, or any willing peer by stated preference (issue 18 item 2).
-- A member who opted in to receive one-to-one requests, and what they chose to say about
-- themselves (a few words from a fixed list, encrypted: they can be about health). Nothing is
-- inferred: a peer is matched only by these words.
CREATE TABLE peer_talkers (
    user_id    INTEGER PRIMARY KEY,
    open       INTEGER NOT NULL DEFAULT 1,      -- 0: opted out (the words are kept for later)
    buddy      INTEGER NOT NULL DEFAULT 0,      -- 1: opted in to being someone's buddy
    tags       BLOB,                            -- encrypted, space-separated words
    updated_at INTEGER NOT NULL
);

-- What a /talk request to a peer asked for: a named member, or a stated preference
-- (encrypted). Deleted with its request.
CREATE TABLE peer_asks (
    conversation_id INTEGER PRIMARY KEY
                    REFERENCES talk_conversations (id) ON DELETE CASCADE,
    target_id       INTEGER,                    -- the member asked for by name, else NULL
    wants           BLOB                        -- encrypted preference word, else NULL
);

-- Buddies on request (issue 18 item 3): a proposal both must accept, then a pair either can
-- end at any time without a reason. Rows name only the two people and the group.
CREATE TABLE buddy_pairs (
    id         INTEGER PRIMARY KEY,
    chat_id    INTEGER NOT NULL,                -- a group both are in
    member_id  INTEGER NOT NULL,                -- who asked for a buddy
    buddy_id   INTEGER NOT NULL,                -- who was proposed
    status     TEXT NOT NULL DEFAULT 'proposed'
               CHECK (status IN ('proposed', 'active', 'ended', 'declined')),
    member_yes INTEGER NOT NULL DEFAULT 0,
    buddy_yes  INTEGER NOT NULL DEFAULT 0,
    -- each side's own yes to an administrator asking them how the match is going
    member_check INTEGER NOT NULL DEFAULT 0,
    buddy_check  INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    ended_at   INTEGER
);
CREATE INDEX buddy_pairs_member ON buddy_pairs (member_id, status);
CREATE INDEX buddy_pairs_buddy ON buddy_pairs (buddy_id, status);

-- A check-in may now be done by the person's buddy (item 1's "their buddy"). SQLite cannot
-- change a CHECK in place: the table is rebuilt with the same rows (nothing refers to it).
CREATE TABLE peer_checkins_next (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('after', 'quiet')),
    days         INTEGER NOT NULL CHECK (days BETWEEN 1 AND 60),
    who          TEXT NOT NULL CHECK (who IN ('bot', 'admin', 'buddy')),
    chat_id      INTEGER REFERENCES groups (chat_id) ON DELETE CASCADE ON UPDATE CASCADE,
    next_at      INTEGER NOT NULL,
    last_seen_at INTEGER,
    active       INTEGER NOT NULL DEFAULT 1,
    created_at   INTEGER NOT NULL
);
INSERT INTO peer_checkins_next
    SELECT id, user_id, kind, days, who, chat_id, next_at, last_seen_at, active, created_at
    FROM peer_checkins;
DROP TABLE peer_checkins;
ALTER TABLE peer_checkins_next RENAME TO peer_checkins;
CREATE INDEX peer_checkins_user ON peer_checkins (user_id, active);
