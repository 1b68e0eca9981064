"""When a check-in someone asked for falls due. Pure: no Telegram, no database."""

from __future__ import annotations

import re

from bot.records.peers import AFTER, QUIET, CheckIn

DAY = 86_400
AFTER_DAYS = (1, 3, 7)
QUIET_DAYS = (7, 14)
MAX_DAYS = 60
# "check in on me in 3 days", "if I'm quiet for 2 weeks"; Kiswahili "niulize hali baada ya
# siku 3", "nikinyamaza wiki 2".
_WORDS = (
    (AFTER, re.compile(r"check\s*in\s+on\s+me\s+in\s+(\d{1,2})\s+(day|days|week|weeks)\b", re.I)),
    (
        QUIET,
        re.compile(r"if\s+i'?\s?a?m\s+quiet\s+for\s+(\d{1,2})\s+(day|days|week|weeks)\b", re.I),
    ),
    (AFTER, re.compile(r"niulize\s+hali\s+baada\s+ya\s+(siku|wiki)\s+(\d{1,2})\b", re.I)),
    (QUIET, re.compile(r"nikinyamaza\s+(?:kwa\s+)?(siku|wiki)\s+(\d{1,2})\b", re.I)),
)
_WEEK_WORDS = {"week", "weeks", "wiki"}


def from_words(text: str) -> tuple[str, int] | None:
    """A check-in asked for in plain words: ``(kind, days)``, or None."""
    for kind, pattern in _WORDS:
        match = pattern.search(text)
        if match is None:
            continue
        first, second = match.group(1), match.group(2)
        number, unit = (first, second) if first.isdigit() else (second, first)
        days = int(number) * (7 if unit.lower() in _WEEK_WORDS else 1)
        if 1 <= days <= MAX_DAYS:
            return kind, days
    return None


def first_due(days: int, now: int) -> int:
    return now + days * DAY


def due_after_seen(check_in: CheckIn, now: int) -> int | None:
    """For a "quiet" check-in whose time came: None if the person has been quiet long enough
    (check in now); else when to look again (they wrote since)."""
    if check_in.kind != QUIET or check_in.last_seen_at is None:
        return None
    due = check_in.last_seen_at + check_in.days * DAY
    return due if due > now else None
