-- kindly: settings by tapping, each group's own support lines, pinned rules.
-- pin_rules: the bot pins the full rules (when it has the right); rules_pinned_id: the message
-- it pinned, so a new version replaces it. show_emergency: emergency numbers shown with the
-- support lines (off by default: many members have good reasons not to want police involved).

ALTER TABLE groups ADD COLUMN pin_rules INTEGER NOT NULL DEFAULT 1;
ALTER TABLE groups ADD COLUMN rules_pinned_id INTEGER;
ALTER TABLE groups ADD COLUMN show_emergency INTEGER NOT NULL DEFAULT 0;

-- A group's own support lines (a local organisation, a counsellor's office), shown after the
-- country's lines. Public phone numbers of services, not of members: kept as written.
CREATE TABLE group_lines (
    id         INTEGER PRIMARY KEY,
    chat_id    INTEGER NOT NULL REFERENCES groups (chat_id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    number     TEXT NOT NULL,
    hours      TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
);
CREATE INDEX group_lines_chat ON group_lines (chat_id, id);

-- A burst of joins into a group with the gate off shares one greeting per window: when the
-- last greeting went out, and who waits for the window's combined one.
ALTER TABLE groups ADD COLUMN greeted_at INTEGER;
CREATE TABLE rules_greet_waiting (
    chat_id   INTEGER NOT NULL REFERENCES groups (chat_id) ON DELETE CASCADE ON UPDATE CASCADE,
    user_id   INTEGER NOT NULL,
    joined_at INTEGER NOT NULL,
    PRIMARY KEY (chat_id, user_id)
) WITHOUT ROWID;
