"""The reminder schedule: a weekday and a time of day in the group's own time zone.

Times are computed on the wall clock of the group's zone, so a reminder set for Friday 18:00
stays at 18:00 local time across daylight-saving changes. A time that does not exist on a given
day (the hour skipped when clocks go forward) falls at the same instant Python's ``zoneinfo``
gives it (just after the gap); a time that happens twice uses the first.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.records.rules import Schedule

__all__ = [
    "Schedule",
    "find_zone",
    "next_reminder",
    "next_weekly",
    "parse_time",
    "parse_weekday",
    "zone",
]

# Monday is 0, as in ``datetime.weekday()``.
DAY_NAMES = {
    "mon": 0,
    "monday": 0,
    "tue": 1,
    "tues": 1,
    "tuesday": 1,
    "wed": 2,
    "wednesday": 2,
    "thu": 3,
    "thur": 3,
    "thurs": 3,
    "thursday": 3,
    "fri": 4,
    "friday": 4,
    "sat": 5,
    "saturday": 5,
    "sun": 6,
    "sunday": 6,
    # Kiswahili
    "jumatatu": 0,
    "jumanne": 1,
    "jumatano": 2,
    "alhamisi": 3,
    "ijumaa": 4,
    "jumamosi": 5,
    "jumapili": 6,
}
_TIME = re.compile(r"^([01]?\d|2[0-3])[:.h]?([0-5]\d)$")
_HOUR = re.compile(r"^([01]?\d|2[0-3])h?$")
_TWELVE = re.compile(r"^(0?[1-9]|1[0-2])(?:[:.]([0-5]\d))?\s*(am|pm|a\.m\.|p\.m\.)$")


def parse_weekday(raw: str) -> int | None:
    return DAY_NAMES.get(raw.strip().lower().rstrip("."))


def parse_time(raw: str) -> time | None:
    """``18:00``, ``18.00``, ``18h00``, ``1800``, ``18h``, ``6pm``, ``6:30 pm``; else None."""
    text = raw.strip().lower()
    match = _TIME.match(text)
    if match:
        return time(int(match.group(1)), int(match.group(2)))
    twelve = _TWELVE.match(text)
    if twelve:
        hour = int(twelve.group(1)) % 12 + (12 if twelve.group(3).startswith("p") else 0)
        return time(hour, int(twelve.group(2) or 0))
    hour_only = _HOUR.match(text)
    if hour_only and text.endswith("h"):
        return time(int(hour_only.group(1)), 0)
    return None


@cache
def _zone_names() -> dict[str, str]:
    """Every zone by its lower-case full name and by its city (``nairobi`` -> Africa/Nairobi)."""
    names: dict[str, str] = {}
    for name in sorted(available_timezones()):
        names[name.lower()] = name
        city = name.rsplit("/", 1)[-1].lower()
        names.setdefault(city, name)
        names.setdefault(city.replace("_", " "), name)
    return names


def find_zone(raw: str) -> str | None:
    """The zone a person means: ``Africa/Nairobi``, ``nairobi``, ``Dar es Salaam``; else None."""
    text = " ".join(raw.strip().split()).lower()
    if not text or len(text) > 64:
        return None
    name = _zone_names().get(text) or _zone_names().get(text.replace(" ", "_"))
    return name if name is not None and zone(name) is not None else None


def zone(name: str) -> ZoneInfo | None:
    """The time zone called ``name``, or None if there is no such zone."""
    if not name or "\x00" in name or name.startswith(("/", ".")):
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def next_weekly(after: datetime, weekday: int, at: time, tz: ZoneInfo) -> datetime:
    """The first moment strictly after ``after`` that is ``weekday`` at ``at`` in ``tz`` (UTC)."""
    if after.tzinfo is None:
        raise ValueError("after must be timezone-aware")
    local = after.astimezone(tz)
    start = local.date() + timedelta(days=(weekday - local.weekday()) % 7)
    for weeks in range(3):
        day = start + timedelta(weeks=weeks)
        candidate = datetime.combine(day, at, tzinfo=tz).astimezone(UTC)
        if candidate > after:
            return candidate
    raise AssertionError("unreachable: a week later is always after")  # pragma: no cover


def next_reminder(after_epoch: int, schedule: Schedule, tz_name: str) -> int | None:
    """Epoch seconds of the next reminder after ``after_epoch``; None when reminders are off."""
    if not schedule.enabled:
        return None
    tz = zone(tz_name) or ZoneInfo("UTC")
    after = datetime.fromtimestamp(after_epoch, UTC)
    return int(next_weekly(after, schedule.weekday, schedule.at, tz).timestamp())
