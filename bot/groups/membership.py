"""Following the bot's place in groups and the members it has seen (ids and statuses only)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from telegram.error import TelegramError

from bot.records.groups import BotRights, Group

if TYPE_CHECKING:
    from bot.context import App, BotData

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Arrival:
    """What changed when the bot's own status in a group changed."""

    group: Group
    newly_added: bool


async def bot_left(data: BotData, chat_id: int) -> None:
    """The bot was removed from a group (or the group is gone)."""
    data.admins.invalidate(chat_id)
    await data.store.groups.set_inactive(chat_id)
    log.info("left group %s", chat_id)


async def bot_present(
    data: BotData,
    chat_id: int,
    title: str,
    rights: BotRights,
    *,
    was_present: bool,
    actor_id: int | None,
) -> Arrival:
    """The bot is in the group, newly added or with changed rights: record it and audit it."""
    data.admins.invalidate(chat_id)
    before = await data.store.groups.get(chat_id)
    group = await _record(data, chat_id, title, rights, before)
    if not was_present:
        await data.store.audit.record("bot.added", chat_id=chat_id, actor_id=actor_id)
    elif before is not None and before.rights != rights and group.registered:
        await data.store.audit.record("bot.rights_changed", chat_id=chat_id, actor_id=None)
    return Arrival(group, newly_added=not was_present)


async def register(
    data: BotData, chat_id: int, title: str, rights: BotRights, actor_id: int | None
) -> Group:
    """/setup: the group is registered (with the bot's rights as Telegram reports them now)."""
    group = await _record(data, chat_id, title, rights, await data.store.groups.get(chat_id))
    await data.store.groups.mark_registered(chat_id)
    await data.store.audit.record("group.setup", chat_id=chat_id, actor_id=actor_id)
    return group


async def _record(
    data: BotData, chat_id: int, title: str, rights: BotRights, before: Group | None
) -> Group:
    settings = data.settings
    return await data.store.groups.upsert(
        chat_id,
        title,
        rights,
        language=before.language if before else settings.default_language,
        timezone=before.timezone if before else settings.timezone,
        country=before.crisis_country if before else settings.default_country,
    )


async def member_changed(
    data: BotData,
    chat_id: int,
    user_id: int,
    telegram_language: str | None,
    status: str,
    *,
    admin_change: bool,
    joined: bool = False,
    added_by: int | None = None,
) -> None:
    """Someone's membership changed: keep the admin cache and the membership list honest.

    ``status`` is what they are now ("left" for a restricted person no longer in the chat);
    ``joined`` when they came in with this change, ``added_by`` when someone else put them
    there (a group they did not choose themselves)."""
    if admin_change:
        data.admins.invalidate(chat_id)
    if await data.store.groups.get(chat_id) is None:
        return
    await data.store.users.ensure(user_id, telegram_language)
    await data.store.users.set_membership(
        chat_id, user_id, status, joined=joined, added_by=added_by
    )


async def present_now(
    data: BotData, chat_id: int, user_id: int, status: str, *, present: bool
) -> None:
    """What a live ``getChatMember`` said, written down: members who were there before the
    bot become known the moment a decision needs them (the first-known time is kept)."""
    if await data.store.groups.get(chat_id) is None:
        return
    known = await data.store.users.membership(chat_id, user_id)
    recorded = "left" if status == "restricted" and not present else status
    if known is None and not present:
        return  # never in it: no record of a group someone has nothing to do with
    if known is None or known.status != recorded:
        await data.store.users.set_membership(chat_id, user_id, recorded)


async def seen_in_group(
    data: BotData, chat_id: int, user_id: int, telegram_language: str | None
) -> None:
    """A person wrote or pressed a button in a group the bot serves: they are a member.

    Members who were in the group before the bot are learned this way; nothing of what they
    wrote is kept. After the first time this costs no database work.
    """
    users = data.store.users
    if users.known_member(chat_id, user_id) or await data.store.groups.get(chat_id) is None:
        return
    await users.seen_in_group(chat_id, user_id, telegram_language)


async def named(data: BotData, user_id: int, username: str | None) -> None:
    """What the person is called on Telegram now (@username), kept only as a keyed digest so
    that an admin can name them in a command (``/warn @name``). Costs nothing when unchanged."""
    await data.store.handles.remember(user_id, username)


async def met(data: BotData, user_id: int, telegram_language: str | None) -> None:
    """The bot now knows of a person (their Telegram language only; nothing else)."""
    await data.store.users.ensure(user_id, telegram_language)


async def private_chat_changed(
    data: BotData, user_id: int, telegram_language: str | None, *, blocked: bool
) -> bool:
    """A person blocked the bot, or unblocked it (their private chat's status); True when
    they can be written to again."""
    if blocked:
        await data.store.users.mark_blocked(user_id)
        return False
    return await data.store.users.seen_private(user_id, telegram_language)


async def migrated(data: BotData, old_chat_id: int, new_chat_id: int) -> None:
    """A basic group became a supergroup and got a new id."""
    await data.store.groups.migrate_chat(old_chat_id, new_chat_id)


async def learn_admins(app: App, chat_id: int) -> None:
    """When the bot arrives in (or sets up) a group that already has members: the ones
    Telegram lists — its administrators — are known at once; the others as they take part."""
    data = app.bot_data
    try:
        admins = await data.admins.admins(app.bot, chat_id, fresh=True)
    except TelegramError:
        return
    for user_id in sorted(admins.user_ids):
        known = await data.store.users.membership(chat_id, user_id)
        if known is None or known.status in ("left", "kicked"):
            await data.store.users.set_membership(chat_id, user_id, "administrator")


async def known_count(data: BotData, chat_id: int) -> int:
    """How many members of the group the bot knows now."""
    return await data.store.users.known_members(chat_id)
