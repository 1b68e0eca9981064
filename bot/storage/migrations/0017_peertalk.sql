-- A chosen peer, or any willing peer by stated preference (issue 18 item 2).
-- A member who opted in to receive one-to-one requests, and what they chose to say about
-- themselves (a few words from a fixed list, encrypted: they can be about health). Nothing is
-- inferred: a peer is matched only by these words.
CREATE TABLE peer_talkers (
    user_id    INTEGER PRIMARY KEY,
    open       INTEGER NOT NULL DEFAULT 1,      -- 0: opted out (the words are kept for later)
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
