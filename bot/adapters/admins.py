"""Who is an administrator of a group: Telegram's live answer, cached briefly; telling them.

The cache is refreshed when Telegram reports an administrator change (``chat_member``
updates call ``invalidate``) and is bypassed (``fresh=True``) right before a restriction.
``tell_admins`` is the one way a feature writes to a group's administrators.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from telegram import Bot, ChatMemberAdministrator, ChatMemberOwner, InlineKeyboardMarkup
from telegram.constants import ChatMemberStatus
from telegram.error import BadRequest, Forbidden, TelegramError

from bot.adapters.replies import send_private
from bot.people import language_of_person
from bot.timeutil import Clock

if TYPE_CHECKING:
    from bot.context import App

log = logging.getLogger(__name__)

# The account Telegram shows for messages sent by an anonymous administrator.
ANONYMOUS_ADMIN_ID = 1087968824
ADMIN_STATUSES = frozenset({ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER})


@dataclass(frozen=True)
class AdminSet:
    fetched_at: int
    user_ids: frozenset[int]
    owner_id: int | None
    can_restrict: frozenset[int]
    anonymous: frozenset[int] = frozenset()

    @property
    def people(self) -> frozenset[int]:
        """Administrators acting in their own name (not anonymously)."""
        return self.user_ids - self.anonymous

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
            anonymous=frozenset(
                m.user.id
                for m in humans
                if isinstance(m, ChatMemberOwner | ChatMemberAdministrator) and m.is_anonymous
            ),
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
            try:
                member = await bot.get_chat_member(chat_id, user_id)
            except (BadRequest, Forbidden):
                return False  # a chat the bot cannot see (gone, never there): nobody's admin
            return member.status in ADMIN_STATUSES

    def invalidate(self, chat_id: int) -> None:
        self._cache.pop(chat_id, None)


@dataclass(frozen=True)
class Delivered:
    """One copy of a notice that reached an administrator (or the admin team chat)."""

    chat_id: int
    message_id: int


Compose = Callable[[str], tuple[str, InlineKeyboardMarkup | None]]
"""Builds the notice in a reader's language: ``lang -> (text, buttons)``."""


async def _reachable(app: App, chat_id: int, anonymous: bool) -> list[tuple[int, str]]:
    """The group's human administrators the bot may write to privately, in id order, each
    with their language (one read of each person)."""
    data = app.bot_data
    try:
        admins = await data.admins.admins(app.bot, chat_id)
    except TelegramError as error:
        log.info("cannot list admins of %s (%s)", chat_id, type(error).__name__)
        return []
    found: list[tuple[int, str]] = []
    for user_id in sorted(admins.user_ids if anonymous else admins.people):
        person = await data.store.users.get(user_id)
        if person is None or person.reachable:
            found.append((user_id, language_of_person(data, person)))
    return found


async def reachable_admins(app: App, chat_id: int, *, anonymous: bool = True) -> list[int]:
    """The group's human administrators the bot may write to privately, in id order."""
    return [user_id for user_id, _ in await _reachable(app, chat_id, anonymous)]


async def tell_admins(
    app: App,
    chat_id: int,
    compose: Compose,
    *,
    team_chat_id: int | None = None,
    team_language: str | None = None,
    anonymous: bool = True,
) -> list[Delivered]:
    """Write to a group's administrators: the linked admin team chat, else each one privately.

    Every administrator reads the notice in their own language (the team chat in the group's).
    Returns the copies that reached someone; an empty list means nobody was reached.
    """
    data = app.bot_data
    if team_chat_id is not None:
        text, markup = compose(team_language or data.settings.default_language)
        try:
            message = await app.bot.send_message(team_chat_id, text, reply_markup=markup)
        except (BadRequest, Forbidden):
            log.info("admin team chat %s unreachable", team_chat_id)
        else:
            return [Delivered(team_chat_id, message.message_id)]
    delivered: list[Delivered] = []
    for admin_id, lang in await _reachable(app, chat_id, anonymous):
        text, markup = compose(lang)
        sent = await send_private(app.bot, data, admin_id, text, reply_markup=markup)
        if sent is not None:
            delivered.append(Delivered(admin_id, sent.message_id))
    return delivered
