"""The group's rhythm: scheduled sessions stepped through with the USP-K template, opt-in
reminders, rules put to the group as a poll, an anonymous pulse, and counts for admins."""

FEATURE = "sessions"
