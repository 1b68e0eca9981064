"""When sessions meet: parsing an admin's words into a ``Rhythm`` and finding the next time.

Times are on the group's wall clock (see ``bot.rules.schedule``), so a session at Saturday
15:00 stays at 15:00 local time. Pure: no Telegram, no database.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.records.sessions import FORTNIGHTLY, MONTHLY, ONCE, WEEKLY, Rhythm
from bot.rules.schedule import parse_time, parse_weekday

KIND_WORDS = {
    "weekly": WEEKLY,
    "kila_wiki": WEEKLY,
    "fortnightly": FORTNIGHTLY,
    "biweekly": FORTNIGHTLY,
    "kila_wiki_mbili": FORTNIGHTLY,
    "monthly": MONTHLY,
    "kila_mwezi": MONTHLY,
    "once": ONCE,
    "mara_moja": ONCE,
}
NTH_WORDS = {
    "1st": 1,
    "first": 1,
    "2nd": 2,
    "second": 2,
    "3rd": 3,
    "third": 3,
    "4th": 4,
    "fourth": 4,
    "last": -1,
    "wa_kwanza": 1,
    "wa_pili": 2,
    "wa_tatu": 3,
    "wa_nne": 4,
    "wa_mwisho": -1,
}
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
MAX_TITLE = 80


def parse(words: list[str], today: date) -> tuple[Rhythm, str] | None:
    """``monthly [2nd] sat 15:00 Title…``, ``weekly wed 18:30 Title…``,
    ``fortnightly sat 10:00 Title…``, ``once 2027-01-16 15:00 Title…``; None if unclear.
    ``today`` (the group's date) anchors a fortnightly rhythm and refuses a past one-off."""
    if len(words) < 3:
        return None
    kind = KIND_WORDS.get(words[0].lower())
    if kind is None:
        return None
    rest = words[1:]
    nth, weekday, anchor = 1, 5, None
    if kind == ONCE:
        match = _DATE.match(rest[0])
        if match is None:
            return None
        try:
            anchor = date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            return None
        if anchor < today:
            return None
        weekday, rest = anchor.weekday(), rest[1:]
    else:
        if kind == MONTHLY and rest[0].lower() in NTH_WORDS:
            nth, rest = NTH_WORDS[rest[0].lower()], rest[1:]
        found = parse_weekday(rest[0]) if rest else None
        if found is None:
            return None
        weekday, rest = found, rest[1:]
        if kind == FORTNIGHTLY:
            anchor = today
    at = parse_time(rest[0]) if rest else None
    if at is None:
        return None
    title = " ".join(rest[1:]).strip()[:MAX_TITLE]
    if not title:
        return None
    return Rhythm(kind=kind, at=at, weekday=weekday, nth=nth, anchor=anchor), title


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> date:
    if nth > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))
    following = date(year + month // 12, month % 12 + 1, 1)
    last = following - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def _candidates(rhythm: Rhythm, start: date) -> list[date]:
    """Meeting days from about ``start`` on, in order (enough to find the next one)."""
    if rhythm.kind == ONCE:
        return [rhythm.anchor] if rhythm.anchor else []
    if rhythm.kind == MONTHLY:
        days = []
        for offset in range(3):
            month_index = start.month - 1 + offset
            year, month = start.year + month_index // 12, month_index % 12 + 1
            days.append(_nth_weekday(year, month, rhythm.weekday, rhythm.nth))
        return days
    step = 14 if rhythm.kind == FORTNIGHTLY else 7
    first = start + timedelta(days=(rhythm.weekday - start.weekday()) % 7)
    if rhythm.kind == FORTNIGHTLY and rhythm.anchor is not None:
        base = rhythm.anchor + timedelta(days=(rhythm.weekday - rhythm.anchor.weekday()) % 7)
        first = base if first < base else first + timedelta(days=(base - first).days % 14)
    return [first + timedelta(days=step * k) for k in range(3)]


def next_at(rhythm: Rhythm, after_epoch: int, tz: ZoneInfo) -> int | None:
    """Epoch seconds of the first meeting strictly after ``after_epoch``; None when a one-off
    has passed."""
    after = datetime.fromtimestamp(after_epoch, UTC)
    local_day = after.astimezone(tz).date()
    for day in _candidates(rhythm, local_day - timedelta(days=1)):
        moment = datetime.combine(day, rhythm.at, tzinfo=tz).astimezone(UTC)
        if moment > after:
            return int(moment.timestamp())
    return None
