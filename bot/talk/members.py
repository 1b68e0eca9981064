"""Which groups' people a person may reach through one-to-one contact."""

from __future__ import annotations

from typing import TYPE_CHECKING

from telegram.error import TelegramError

from bot.adapters.presence import PRESENT

if TYPE_CHECKING:
    from bot.context import App, BotData

MAX_GROUPS_TO_ASK = 50


async def groups_of(app: App, user_id: int) -> list[int]:
    """The person's groups, including those they are temporarily excluded from (continued
    support: they can still /talk to that group's people). People who were in a group before
    Pamoja joined it have no record yet: the bot asks Telegram about each active group once."""
    store = app.bot_data.store
    excluded = await store.moderation.excluded_from(user_id)
    known = await store.users.groups_of(user_id)
    if known or excluded:
        return sorted(set(known) | set(excluded))
    for group in (await store.groups.active())[:MAX_GROUPS_TO_ASK]:
        try:
            member = await app.bot.get_chat_member(group.chat_id, user_id)
        except TelegramError:
            continue
        if member.status in PRESENT:
            await store.users.set_membership(group.chat_id, user_id, str(member.status))
    return sorted(set(await store.users.groups_of(user_id)) | set(excluded))


async def member_of(app: App, user_id: int, chat_id: int) -> bool:
    return chat_id in await groups_of(app, user_id)


async def title(data: BotData, chat_id: int, *, fallback: str = "") -> str:
    group = await data.store.groups.get(chat_id)
    return group.title if group else fallback


async def titles(data: BotData, chat_ids: list[int]) -> str:
    return ", ".join([await title(data, chat_id, fallback=str(chat_id)) for chat_id in chat_ids])
