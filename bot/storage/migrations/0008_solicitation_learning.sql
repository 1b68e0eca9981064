-- What this deployment's admins taught the solicitation scorer: weight adjustments by hashed
-- feature bucket (no text, no person, no group), and how many answers were learned from.
-- Deleting every row (reset) returns the scorer to the shipped model.
CREATE TABLE solicitation_learning (
    bucket INTEGER PRIMARY KEY,
    weight REAL NOT NULL
);
CREATE TABLE solicitation_learning_meta (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    answers    INTEGER NOT NULL DEFAULT 0,
    updated_at INTEGER NOT NULL
);
