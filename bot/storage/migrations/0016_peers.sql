-- Check-ins people ask for (issue 18): one row per request, until it is done or cancelled.
-- last_seen_at is kept only for a "quiet" check-in the person asked for: when they last wrote
-- in one of their groups (never what).
CREATE TABLE peer_checkins (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('after', 'quiet')),
    days         INTEGER NOT NULL CHECK (days BETWEEN 1 AND 60),
    who          TEXT NOT NULL CHECK (who IN ('bot', 'admin')),
    chat_id      INTEGER REFERENCES groups (chat_id) ON DELETE CASCADE ON UPDATE CASCADE,
    next_at      INTEGER NOT NULL,
    last_seen_at INTEGER,
    active       INTEGER NOT NULL DEFAULT 1,
    created_at   INTEGER NOT NULL
);
CREATE INDEX peer_checkins_user ON peer_checkins (user_id, active);

-- A peer listener's own boundaries: the hours they are open to requests (in the group's time
-- zone; both NULL: any time), and when they were last asked how they are doing as a listener.
CREATE TABLE listener_boundaries (
    user_id    INTEGER PRIMARY KEY,
    hours_from INTEGER CHECK (hours_from BETWEEN 0 AND 23),
    hours_to   INTEGER CHECK (hours_to BETWEEN 0 AND 24),
    updated_at INTEGER NOT NULL
);
