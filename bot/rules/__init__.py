"""Ground rules, as plain domain logic: the rules text, the reminder schedule, the gate policy.

Nothing here talks to Telegram or the database; handlers and repositories build on it.
"""
