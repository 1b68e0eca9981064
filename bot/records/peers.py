"""Record types of peer-to-peer support (frozen; import nothing of the package)."""

from __future__ import annotations

from dataclasses import dataclass

AFTER = "after"
"""Check in once, after a number of days."""
QUIET = "quiet"
"""Check in if the person has not written in their groups for a while (only because they asked)."""
BOT = "bot"
ADMIN = "admin"


@dataclass(frozen=True)
class CheckIn:
    id: int
    user_id: int
    kind: str
    days: int
    who: str
    chat_id: int | None
    next_at: int
    last_seen_at: int | None
