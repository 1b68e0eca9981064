"""Moderation's in-memory helpers: the blocklist cache and the repeated-contact tracker.

Both keep the per-message path free of database writes and network calls: the blocklist is
read from the database once and kept in step with every change; the tracker holds only
keyed hashes of contacts, in memory, for a week.
"""

from __future__ import annotations

from datetime import UTC, datetime

from bot.moderation.repetition import ContactRepetitionTracker
from bot.storage.moderation import ModerationRepo
from bot.timeutil import Clock


class ModerationService:
    def __init__(self, clock: Clock) -> None:
        self._blocked: set[int] | None = None
        self.tracker = ContactRepetitionTracker(
            clock=lambda: datetime.fromtimestamp(clock.epoch(), UTC)
        )

    async def is_blocked(self, repo: ModerationRepo, user_id: int) -> bool:
        if self._blocked is None:
            self._blocked = await repo.blocked_ids()
        return user_id in self._blocked

    def blocked(self, user_id: int) -> None:
        if self._blocked is not None:
            self._blocked.add(user_id)

    def unblocked(self, user_id: int) -> None:
        if self._blocked is not None:
            self._blocked.discard(user_id)

    def reset(self) -> None:
        """Forget the cache (a new store was opened)."""
        self._blocked = None
