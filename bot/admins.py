"""Who is an administrator of a group: Telegram's live answer, cached briefly.

The cache is refreshed when Telegram reports an administrator change (``chat_member``
updates call ``invalidate``) and is bypassed (``fresh=True``) right before a restriction.
"""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Bot, ChatMemberAdministrator, ChatMemberOwner
from telegram.constants import ChatMemberStatus
from telegram.error import BadRequest

from bot.timeutil import Clock

# The account Telegram shows for messages sent by an anonymous administrator.
ANONYMOUS_ADMIN_ID = 1087968824
ADMIN_STATUSES = frozenset({ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER})


@dataclass(frozen=True)
class AdminSet:
    fetched_at: int
    user_ids: frozenset[int]
    owner_id: int | None
    can_restrict: frozenset[int]

    def __contains__(self, user_id: object) -> bool:
        return user_id in self.user_ids


class AdminCache:
    def __init__(self, clock: Clock, ttl_seconds: int = 600) -> None:
        self._clock = clock
        self._ttl = ttl_seconds
        self._cache: dict[int, AdminSet] = {}

    async def admins(self, bot: Bot, chat_id: int, *, fresh: bool = False) -> AdminSet:
        cached = self._cache.get(chat_id)
        if cached and not fresh and self._clock.epoch() - cached.fetched_at < self._ttl:
            return cached
        members = await bot.get_chat_administrators(chat_id)
        humans = [m for m in members if not m.user.is_bot]
        owner = next((m.user.id for m in humans if isinstance(m, ChatMemberOwner)), None)
        restrictors = {
            m.user.id
            for m in humans
            if isinstance(m, ChatMemberOwner)
            or (isinstance(m, ChatMemberAdministrator) and m.can_restrict_members)
        }
        result = AdminSet(
            fetched_at=self._clock.epoch(),
            user_ids=frozenset(m.user.id for m in humans),
            owner_id=owner,
            can_restrict=frozenset(restrictors),
        )
        self._cache[chat_id] = result
        return result

    async def is_admin(self, bot: Bot, chat_id: int, user_id: int, *, fresh: bool = False) -> bool:
        if user_id == ANONYMOUS_ADMIN_ID:
            return False
        try:
            return user_id in await self.admins(bot, chat_id, fresh=fresh)
        except BadRequest:
            # Some Bot API servers refuse the list (e.g. very large groups): ask about the one
            # person instead. Not cached: it is the live answer.
            member = await bot.get_chat_member(chat_id, user_id)
            return member.status in ADMIN_STATUSES

    def invalidate(self, chat_id: int) -> None:
        self._cache.pop(chat_id, None)
