"""Language and time formatting for messages the circle sends outside an update."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.context import BotData
from bot.i18n import pick_language


async def language_of(data: BotData, user_id: int) -> str:
    person = await data.store.users.get(user_id)
    return pick_language(
        person.language if person else None,
        person.telegram_language if person else None,
        data.settings.default_language,
    )


async def zone_for(data: BotData, chat_id: int | None) -> ZoneInfo:
    if chat_id is not None:
        group = await data.store.groups.get(chat_id)
        if group is not None:
            try:
                return ZoneInfo(group.timezone)
            except (ValueError, KeyError):
                pass
    return data.settings.zone


def when(epoch: int, zone: ZoneInfo) -> str:
    return datetime.fromtimestamp(epoch, zone).strftime("%H:%M")


def day(epoch: int, zone: ZoneInfo) -> str:
    return datetime.fromtimestamp(epoch, zone).strftime("%d %b %Y").lstrip("0")


def stamp(epoch: int, zone: ZoneInfo) -> str:
    return datetime.fromtimestamp(epoch, zone).strftime("%d %b %Y %H:%M").lstrip("0")
