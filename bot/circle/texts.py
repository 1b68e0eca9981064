"""Time formatting for messages the circle sends outside an update."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.i18n import format_moment


def when(epoch: int, zone: ZoneInfo, lang: str) -> str:
    return format_moment(epoch, lang, zone, "time")


def day(epoch: int, zone: ZoneInfo, lang: str) -> str:
    return format_moment(epoch, lang, zone, "date")


def stamp(epoch: int, zone: ZoneInfo, lang: str) -> str:
    return format_moment(epoch, lang, zone, "moment")
