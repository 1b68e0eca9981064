"""Who is an administrator of a group: Telegram's live answer, cached briefly; telling them.

The cache is refreshed when Telegram reports an administrator change (``chat_member``
updates call ``invalidate``) and is bypassed (``fresh=True``) right before a restriction.
``tell_admins`` is the one way a feature writes to a group's administrators.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from telegram import Bot, ChatMemberAdministrator, ChatMemberOwner, InlineKeyboardMarkup
from telegram.constants import ChatMemberStatus
from telegram.error import BadRequest, Forbidden, TelegramError

from bot.delivery import outbox
from bot.i18n import format_moment
from bot.people import language_of_person, zone_of
from bot.records.held import HeldNotice
from bot.timeutil import Clock

if TYPE_CHECKING:
    from bot.context import App

log = logging.getLogger(__name__)

# The account Telegram shows for messages sent by an anonymous administrator.
ANONYMOUS_ADMIN_ID = 1087968824
ADMIN_STATUSES = frozenset({ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER})
# What the admins' copies are recorded for (to be edited once someone has handled it).
COPIED = ("report", "appeal")


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


async def _send_to_admins(
    app: App,
    chat_id: int,
    compose: Compose,
    *,
    team_chat_id: int | None,
    team_language: str | None,
    anonymous: bool,
    exclude: frozenset[int] = frozenset(),
) -> list[Delivered]:
    """One attempt: the linked admin team chat, else each reachable administrator privately."""
    data = app.bot_data
    # Each copy leaves through the outbox: a slow Telegram delays it (it is retried), never
    # loses it. A copy still on its way counts as reaching that admin (``message_id`` 0: there
    # is no copy to edit yet).
    if team_chat_id is not None:
        text, markup = compose(team_language or data.settings.default_language)
        result, message_id = await outbox.send_tracked(
            app, team_chat_id, text, kind="admin_notice", reply_markup=markup
        )
        if result != outbox.FAILED:
            return [Delivered(team_chat_id, message_id or 0)]
        log.info("admin team chat %s unreachable", team_chat_id)
    delivered: list[Delivered] = []
    for admin_id, lang in await _reachable(app, chat_id, anonymous):
        if admin_id in exclude:
            continue
        text, markup = compose(lang)
        result, message_id = await outbox.send_tracked(
            app, admin_id, text, kind="admin_notice", reply_markup=markup
        )
        if result != outbox.FAILED:
            delivered.append(Delivered(admin_id, message_id or 0))
    return delivered


async def _record_copies(
    app: App, copies: tuple[str, int] | None, delivered: list[Delivered]
) -> None:
    if copies is None:
        return
    item, item_id = copies
    for copy in delivered:
        await app.bot_data.store.moderation.add_copy(item, item_id, copy.chat_id, copy.message_id)


def _rendered(app: App, compose: Compose) -> dict[str, tuple[str, dict[str, Any] | None]]:
    """The notice in every language, buttons as plain data (to be kept in the database)."""
    versions: dict[str, tuple[str, dict[str, Any] | None]] = {}
    for lang in app.bot_data.texts.languages:
        text, markup = compose(lang)
        versions[lang] = (str(text), markup.to_dict() if markup is not None else None)
    return versions


async def tell_admins(
    app: App,
    chat_id: int,
    compose: Compose,
    *,
    team_chat_id: int | None = None,
    team_language: str | None = None,
    anonymous: bool = True,
    hold: bool = True,
    team_allowed: bool = True,
    about: tuple[str, int] | None = None,
    copies: tuple[str, int] | None = None,
    exclude: frozenset[int] = frozenset(),
) -> list[Delivered]:
    """Write to a group's administrators: the linked admin team chat, else each one privately.

    Every administrator reads the notice in their own language (the team chat in the group's).
    Returns the copies that reached someone; an empty list means nobody was reached.

    Nothing is dropped: a notice that reaches nobody is kept in the database (``hold``) and
    delivered, oldest first, the moment someone on the team can be reached (an administrator
    opens a private chat with the bot, or a team chat is linked): see ``deliver_held``.
    ``about`` names what the notice is about (``("report", id)``) so a kept notice about
    something settled meanwhile is not delivered late; ``copies`` records each copy sent
    (``store.moderation.copies``) so it can be edited once handled. ``team_allowed=False``: a
    kept notice never goes to a team chat linked later. ``exclude``: administrators
    not to write to (a notice still counts as delivered if it reached anyone else).
    """
    data = app.bot_data
    if await data.store.held.count(chat_id):
        try:
            await deliver_held(app, chat_id)  # older notices first
        except TelegramError as error:  # they stay kept; this notice is not held up by them
            log.info("kept notices of %s not delivered (%s)", chat_id, type(error).__name__)
    delivered = await _send_to_admins(
        app,
        chat_id,
        compose,
        team_chat_id=team_chat_id,
        team_language=team_language,
        anonymous=anonymous,
        exclude=exclude,
    )
    await _record_copies(app, copies, delivered)
    if not delivered and hold:
        item, item_id = about or copies or (None, None)
        if (
            item is not None
            and item_id is not None
            and await data.store.held.holds_item(chat_id, item, item_id)
        ):
            return delivered  # a reminder of what is kept already: the first one says it
        await data.store.held.hold(
            chat_id,
            _rendered(app, compose),
            item=item,
            item_id=item_id,
            team=team_allowed,
            anonymous=anonymous,
        )
        log.info("notice for the admins of %s kept: nobody reachable yet", chat_id)
    return delivered


async def deliver_held(app: App, chat_id: int) -> int:
    """Deliver a group's kept notices, oldest first, to whoever on the team can be reached now;
    each carries a line saying since when it waited. Returns how many were delivered."""
    data = app.bot_data
    group = await data.store.groups.get(chat_id)
    if group is None:
        return 0
    zone = await zone_of(data, chat_id)
    done = 0
    for notice in await data.store.held.waiting(chat_id):
        if not await data.store.held.still_open(notice.item, notice.item_id):
            await data.store.held.finish(notice.id, "stale")
            continue
        if not await data.store.held.claim(notice.id):
            continue  # another delivery is sending it right now

        def compose(
            lang: str, kept: HeldNotice = notice
        ) -> tuple[str, InlineKeyboardMarkup | None]:
            text, markup = kept.versions.get(lang) or next(iter(kept.versions.values()))
            since = format_moment(kept.created_at, lang, zone)
            line = data.texts.t(lang, "admins.kept_since", when=since)
            buttons = InlineKeyboardMarkup.de_json(markup, app.bot) if markup else None
            return f"{line}\n\n{text}", buttons

        try:
            delivered = await _send_to_admins(
                app,
                chat_id,
                compose,
                team_chat_id=group.admin_chat_id if notice.team else None,
                team_language=group.language,
                anonymous=notice.anonymous,
            )
        except TelegramError:
            await data.store.held.release(notice.id)  # kept: tried again next time
            raise
        if not delivered:
            await data.store.held.release(notice.id)
            break  # still nobody: everything stays kept, in order
        if notice.item in COPIED and notice.item_id is not None:
            await _record_copies(app, (notice.item, notice.item_id), delivered)
        await data.store.held.finish(notice.id, "delivered")
        done += 1
    if done:
        log.info("%s kept notices delivered to the admins of %s", done, chat_id)
    return done


async def deliver_all_held(app: App) -> int:
    """Every group's kept notices that can be delivered now (at start-up)."""
    await app.bot_data.store.held.release_all()
    done = 0
    for chat_id in await app.bot_data.store.held.groups_waiting():
        done += await deliver_held(app, chat_id)
    return done


async def admin_of_groups_waiting(app: App, user_id: int) -> list[int]:
    """Groups with kept notices of which this person is an administrator."""
    data = app.bot_data
    found = []
    for chat_id in await data.store.held.groups_waiting():
        try:
            if await data.admins.is_admin(app.bot, chat_id, user_id):
                found.append(chat_id)
        except TelegramError as error:
            log.info("cannot check the admins of %s (%s)", chat_id, type(error).__name__)
    return found
