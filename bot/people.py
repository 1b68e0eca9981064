"""What the bot knows about a person or group: the one language resolver, and time zones.

Every text a person reads is in the language this module picks: in a group, the group's
language; in a private chat, the person's own choice, else their Telegram language, else the
deployment's default.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from telegram import Update
from telegram.constants import ChatType

from bot.i18n import pick_language

if TYPE_CHECKING:
    from bot.context import BotData
    from bot.records.people import Person

GROUP_TYPES = (ChatType.GROUP, ChatType.SUPERGROUP)


async def language_of(data: BotData, user_id: int, telegram_language: str | None = None) -> str:
    """A person's language (their choice, else their Telegram language, else the default)."""
    return language_of_person(data, await data.store.users.get(user_id), telegram_language)


def language_of_person(
    data: BotData, person: Person | None, telegram_language: str | None = None
) -> str:
    """The same choice, for a person already read from the store."""
    return pick_language(
        person.language if person else None,
        telegram_language or (person.telegram_language if person else None),
        data.settings.default_language,
    )


async def group_language(data: BotData, chat_id: int) -> str:
    """A group's language, else the deployment's default."""
    group = await data.store.groups.get(chat_id)
    return group.language if group else data.settings.default_language


async def language_for(data: BotData, update: Update) -> str:
    """The language to answer an update in: the group's in a group, else the person's."""
    chat = update.effective_chat
    if chat is not None and chat.type in GROUP_TYPES:
        return await group_language(data, chat.id)
    user = update.effective_user
    if user is None:
        return data.settings.default_language
    return await language_of(data, user.id, user.language_code)


async def zone_of(data: BotData, chat_id: int | None) -> ZoneInfo:
    """A group's time zone, else the deployment's."""
    if chat_id is not None:
        group = await data.store.groups.get(chat_id)
        if group is not None:
            try:
                return ZoneInfo(group.timezone)
            except (ValueError, ZoneInfoNotFoundError):
                pass
    return data.settings.zone
