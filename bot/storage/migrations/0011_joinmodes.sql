-- Join modes: in approval mode the applicant agrees to the rules first (recorded here), and
-- only then does an administrator approve or decline.
ALTER TABLE rules_join_requests ADD COLUMN agreed_at INTEGER;

-- People named by @username: only a keyed one-way digest of the lower-cased username, so
-- "/warn @name" finds someone the bot has seen without the database holding any name.
CREATE TABLE user_handles (
    digest  TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL,
    seen_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX user_handles_user ON user_handles (user_id);
