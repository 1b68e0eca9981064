"""Following the bot's place in groups and the members it has seen (ids and statuses only)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.context import BotData
from bot.records.groups import BotRights, Group

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
) -> None:
    """Someone's membership changed: keep the admin cache and the membership list honest."""
    if admin_change:
        data.admins.invalidate(chat_id)
    if await data.store.groups.get(chat_id) is None:
        return
    await data.store.users.ensure(user_id, telegram_language)
    await data.store.users.set_membership(chat_id, user_id, status)


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


async def met(data: BotData, user_id: int, telegram_language: str | None) -> None:
    """The bot now knows of a person (their Telegram language only; nothing else)."""
    await data.store.users.ensure(user_id, telegram_language)


async def private_chat_changed(
    data: BotData, user_id: int, telegram_language: str | None, *, blocked: bool
) -> None:
    """A person blocked the bot, or unblocked it (their private chat's status)."""
    if blocked:
        await data.store.users.mark_blocked(user_id)
    else:
        await data.store.users.seen_private(user_id, telegram_language)


async def migrated(data: BotData, old_chat_id: int, new_chat_id: int) -> None:
    """A basic group became a supergroup and got a new id."""
    await data.store.groups.migrate_chat(old_chat_id, new_chat_id)
