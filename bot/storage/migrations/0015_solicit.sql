-- A solicitation flag carries the hashed features of the flagged message (bucket numbers and
-- weights, never text) until an admin answers it; the answer teaches the scorer and clears them.
ALTER TABLE mod_reports ADD COLUMN features TEXT;
