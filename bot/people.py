"""What the bot knows about a person or group when all it has is an id: language and time zone."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.context import BotData
from bot.i18n import pick_language


async def language_of(data: BotData, user_id: int) -> str:
    """A person's language (their choice, else their Telegram language, else the default)."""
    person = await data.store.users.get(user_id)
    return pick_language(
        person.language if person else None,
        person.telegram_language if person else None,
        data.settings.default_language,
    )


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
