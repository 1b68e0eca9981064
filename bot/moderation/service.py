"""Moderation's in-memory helpers: the blocklist cache, the repeated-contact tracker and what
this deployment's admins taught the solicitation scorer.

All keep the per-message path free of database writes and network calls: the blocklist and
the learned adjustment are read from the database once and kept in step with every change; the
tracker holds only keyed hashes of contacts, in memory, for a week.
"""

from __future__ import annotations

from datetime import UTC, datetime

from bot.moderation import learning_service
from bot.moderation.learning import Learned
from bot.moderation.repetition import ContactRepetitionTracker
from bot.storage.groups import GroupRepo
from bot.storage.learning import LearningRepo
from bot.storage.moderation import ModerationRepo
from bot.timeutil import Clock

FLAGGING_CACHE_SECONDS = 300


class ModerationService:
    def __init__(self, clock: Clock) -> None:
        self._blocked: set[int] | None = None
        self._clock = clock
        # chat id -> (flagging on, when read): re-read now and then, in case another part of
        # the bot (a settings screen) changed it.
        self._flagging: dict[int, tuple[bool, int]] = {}
        self.tracker = ContactRepetitionTracker(
            clock=lambda: datetime.fromtimestamp(clock.epoch(), UTC)
        )
        self._learned: Learned | None = None

    async def learned(self, repo: LearningRepo) -> Learned:
        """This deployment's learned adjustment, read from the database once (then in memory,
        changed only through :mod:`bot.moderation.learning_service`)."""
        if self._learned is None:
            self._learned = await learning_service.load(repo)
        return self._learned

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

    async def flagging_on(self, groups: GroupRepo, chat_id: int) -> bool:
        """The group's flagging setting, read at most every few minutes (no read per message)."""
        now = self._clock.epoch()
        cached = self._flagging.get(chat_id)
        if cached is not None and now - cached[1] < FLAGGING_CACHE_SECONDS:
            return cached[0]
        group = await groups.get(chat_id)
        value = group is not None and group.flagging
        self._flagging[chat_id] = (value, now)
        return value

    def set_flagging(self, chat_id: int, value: bool) -> None:
        self._flagging[chat_id] = (value, self._clock.epoch())
