"""Delivery: every message that matters leaves through one outbox (``outbox``), and the
transport remembers which message ids the bot has seen in each chat (``tracking``), so an
attempt whose answer never came can be checked before it is repeated."""
