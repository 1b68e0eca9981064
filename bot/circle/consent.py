"""Consent rules (pure): what the ledger's newest entry means now.

Purposes are separate and unbundled: ``see`` (admins may see this person's details),
``contact`` (admins may contact this person), ``help`` (the help text may be sent to them).
Scope ``live`` is a yes given for one escalation; ``advance`` is decided beforehand, with an
expiry date, a waiting time and wishes.
"""

from __future__ import annotations

from bot.records.circle import ConsentEntry

DEFAULT_ADVANCE_DAYS = 182  # about six months
ADVANCE_CHOICES_DAYS = (30, 91, 182, 365)
WAIT_CHOICES_MINUTES = (30, 60, 180, 720)
DEFAULT_WAIT_MINUTES = 60
LIVE_ANSWER_MINUTES = 60  # without advance consent: no answer within this time means no


def is_valid(entry: ConsentEntry | None, now: int) -> bool:
    """A consent holds if its newest entry is a "given" that has not expired."""
    if entry is None or entry.event != "given":
        return False
    return entry.expires_at is None or entry.expires_at > now


def has_lapsed(entry: ConsentEntry | None, now: int) -> bool:
    """A "given" whose expiry date has passed (the ledger should record it as expired)."""
    return (
        entry is not None
        and entry.event == "given"
        and entry.expires_at is not None
        and entry.expires_at <= now
    )
