-- Timed work is armed a window at a time (issue 13): pages of pending actions by due time.
CREATE INDEX IF NOT EXISTS scheduled_actions_status_due
    ON scheduled_actions (status, due_at, id);
