"""The reminder schedule: next weekday+time in the group's zone, across DST changes."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.rules.schedule import (
    Schedule,
    next_reminder,
    next_weekly,
    parse_time,
    parse_weekday,
    zone,
)

NAIROBI = ZoneInfo("Africa/Nairobi")
LONDON = ZoneInfo("Europe/London")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_later_the_same_day() -> None:
    # Friday 2026-11-20 10:00 in Nairobi (07:00 UTC); reminder Friday 18:00 Nairobi.
    assert next_weekly(utc(2026, 11, 20, 7), 4, time(18, 0), NAIROBI) == utc(2026, 11, 20, 15)


def test_exactly_now_goes_to_next_week() -> None:
    assert next_weekly(utc(2026, 11, 20, 15), 4, time(18, 0), NAIROBI) == utc(2026, 11, 27, 15)


def test_local_day_differs_from_utc_day() -> None:
    # 22:30 UTC Sunday is already Monday 01:30 in Nairobi: Monday 02:00 local is 30 min away.
    assert next_weekly(utc(2026, 11, 22, 22, 30), 0, time(2, 0), NAIROBI) == utc(2026, 11, 22, 23)


def test_wall_clock_time_kept_across_dst_in_london() -> None:
    # Sunday 09:00 London: before the clocks go forward (29 March 2026) that is 09:00 UTC,
    # after it 08:00 UTC.
    before = next_weekly(utc(2026, 3, 21, 12), 6, time(9, 0), LONDON)
    assert before == utc(2026, 3, 22, 9)
    after = next_weekly(before, 6, time(9, 0), LONDON)
    assert after == utc(2026, 3, 29, 8)
    assert after.astimezone(LONDON).hour == 9
    autumn = next_weekly(utc(2026, 10, 20), 6, time(9, 0), LONDON)
    assert autumn == utc(2026, 10, 25, 9)  # back on GMT


def test_time_in_the_dst_gap_still_gives_one_reminder() -> None:
    # 01:30 on 29 March 2026 does not exist in London; the reminder still happens that day.
    result = next_weekly(utc(2026, 3, 28, 12), 6, time(1, 30), LONDON)
    assert result.date() == utc(2026, 3, 29).date()
    assert result > utc(2026, 3, 28, 12)


def test_repeated_time_in_autumn_uses_the_first() -> None:
    result = next_weekly(utc(2026, 10, 24, 12), 6, time(1, 30), LONDON)
    assert result == utc(2026, 10, 25, 0, 30)  # 01:30 BST, the first of the two


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError):
        next_weekly(datetime(2026, 1, 1), 0, time(9), NAIROBI)  # noqa: DTZ001


def test_next_reminder_epoch_and_off() -> None:
    start = int(utc(2026, 11, 20, 7).timestamp())
    due = next_reminder(start, Schedule(True, 4, time(18, 0)), "Africa/Nairobi")
    assert due == int(utc(2026, 11, 20, 15).timestamp())
    assert next_reminder(start, Schedule(False, 4, time(18, 0)), "Africa/Nairobi") is None
    # An unknown zone falls back to UTC rather than failing.
    assert next_reminder(start, Schedule(True, 4, time(18, 0)), "Nowhere/Land") == int(
        utc(2026, 11, 20, 18).timestamp()
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("fri", 4), ("Friday", 4), ("ijumaa", 4), ("Jumapili", 6), ("mon.", 0), ("someday", None)],
)
def test_weekdays(raw: str, expected: int | None) -> None:
    assert parse_weekday(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("18:00", time(18)),
        ("9:05", time(9, 5)),
        ("07.30", time(7, 30)),
        ("24:00", None),
        ("18", None),
        ("ab:cd", None),
    ],
)
def test_times(raw: str, expected: time | None) -> None:
    assert parse_time(raw) == expected


def test_zones() -> None:
    assert zone("Africa/Nairobi") == NAIROBI
    assert zone("Not/AZone") is None
    assert zone("../etc/passwd") is None
    assert zone("") is None


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["off"], Schedule(False, 0, time(10))),
        (["fri", "18:00"], Schedule(True, 4, time(18))),
        (["18:00", "ijumaa"], Schedule(True, 4, time(18))),
        (["wed"], Schedule(True, 2, time(10))),
        (["07:30"], Schedule(True, 0, time(7, 30))),
        (["weekly"], Schedule(True, 0, time(10))),
        ([], None),
        (["someday"], None),
        (["fri", "18:00", "extra"], None),
    ],
)
def test_settings_schedule_arguments(values: list[str], expected: Schedule | None) -> None:
    from bot.rules.settings import parse_schedule

    assert parse_schedule(values, Schedule()) == expected
