"""How moderation writes a person, a moment and a length in a reader's language."""

from __future__ import annotations

import html
from zoneinfo import ZoneInfo

from telegram.error import TelegramError
from telegram.ext import ExtBot

from bot.context import BotData
from bot.i18n import Safe, format_moment
from bot.moderation import policy
from bot.records.groups import Group


def mention(user_id: int, name: str) -> Safe:
    """A link to a person's account, shown as their first name."""
    return Safe(f'<a href="tg://user?id={user_id}">{html.escape(name, quote=False)}</a>')


def when_text(data: BotData, group: Group | None, epoch: int, lang: str) -> str:
    """A moment in the group's time zone, written in ``lang``, with the zone named."""
    zone = ZoneInfo(group.timezone if group else data.settings.timezone)
    return f"{format_moment(epoch, lang, zone)} ({zone.key})"


def length_text(data: BotData, lang: str, seconds: int) -> str:
    """A length such as "1 day 12 hours"."""
    return " ".join(
        data.texts.n(lang, f"moderation.unit_{unit}", amount)
        for unit, amount in policy.duration_parts(seconds)
    )


def reason_text(data: BotData, lang: str, reason: str | None) -> str:
    return reason or data.texts.t(lang, "moderation.no_reason")


async def member_name(bot: ExtBot[None], chat_id: int, user_id: int, fallback: str) -> str:
    """A member's first name as Telegram shows it in the group, else ``fallback``."""
    try:
        member = await bot.get_chat_member(chat_id, user_id)
    except TelegramError:
        return fallback
    return str(member.user.first_name or fallback)
