"""``/stats``: a group's figures per month for its administrators — counts only, small counts
shown as "fewer than 5", never anything about one member. Pure formatting over the storage's
counts; no Telegram."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

SMALL = 5
MONTHS = 3
ROWS = ("joined", "left", "agreements", "sessions", "talk", "reports", "flags", "exclusions")


def month_starts(
    now_epoch: int, tz: ZoneInfo, months: int = MONTHS
) -> list[tuple[date, int, int]]:
    """The last ``months`` calendar months (this one first): ``(first day, start, end)``."""
    today = datetime.fromtimestamp(now_epoch, tz).date()
    found: list[tuple[date, int, int]] = []
    year, month = today.year, today.month
    for _ in range(months):
        first = date(year, month, 1)
        following = date(year + month // 12, month % 12 + 1, 1)
        start = int(datetime.combine(first, datetime.min.time(), tzinfo=tz).timestamp())
        end = int(datetime.combine(following, datetime.min.time(), tzinfo=tz).timestamp())
        found.append((first, start, min(end, now_epoch + 1)))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return found


def shown(count: int | None) -> str | None:
    """A count as it may be shown: 0 as 0, 1–4 suppressed (None: say "fewer than 5")."""
    if count is None or count == 0:
        return "0"
    return None if count < SMALL else str(count)


def minutes(seconds: int | None, samples: int) -> str | None:
    """A median wait, shown only when it rests on at least ``SMALL`` cases."""
    if seconds is None or samples < SMALL:
        return None
    return str(max(1, round(seconds / 60)))
