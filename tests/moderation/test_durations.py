from __future__ import annotations

from datetime import timedelta

import pytest

from bot.moderation.durations import (
    MAX_DURATION,
    MIN_DURATION,
    DurationError,
    parse_duration,
    split_duration,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30m", timedelta(minutes=30)),
        ("12h", timedelta(hours=12)),
        ("3d", timedelta(days=3)),
        ("2w", timedelta(weeks=2)),
        ("1d12h", timedelta(days=1, hours=12)),
        ("90s", timedelta(seconds=90)),
        ("1h30m", timedelta(hours=1, minutes=30)),
        ("1H30M", timedelta(hours=1, minutes=30)),
        ("  45 min  ", timedelta(minutes=45)),
        ("2 days", timedelta(days=2)),
        ("1 day 12 hours", timedelta(days=1, hours=12)),
        ("1d 12h", timedelta(days=1, hours=12)),
        ("1d, 12h", timedelta(days=1, hours=12)),
        ("1 hour and 30 minutes", timedelta(hours=1, minutes=30)),
        ("1 week", timedelta(weeks=1)),
        ("3 wks", timedelta(weeks=3)),
        ("2hrs", timedelta(hours=2)),
        ("1.5h", timedelta(hours=1, minutes=30)),
        ("0.5d", timedelta(hours=12)),
        ("siku 3", timedelta(days=3)),
        ("saa 2", timedelta(hours=2)),
        ("dakika 30", timedelta(minutes=30)),
        ("wiki 2", timedelta(weeks=2)),
        ("siku 1 saa 6", timedelta(days=1, hours=6)),
        ("siku 1 na saa 6", timedelta(days=1, hours=6)),
        ("1m", MIN_DURATION),
        ("60s", MIN_DURATION),
        ("365d", MAX_DURATION),
        ("52w", timedelta(weeks=52)),
        ("364d23h59m", timedelta(days=364, hours=23, minutes=59)),
    ],
)
def test_parse_accepts(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "unreadable"),
        ("   ", "unreadable"),
        ("30", "unreadable"),  # no unit: we don't guess
        ("forever", "unreadable"),
        ("1 month", "unreadable"),  # months are not accepted, m means minutes
        ("1y", "unreadable"),
        ("1h1h", "unreadable"),  # each unit once
        ("1h 2m 3h", "unreadable"),
        ("-5m", "unreadable"),
        ("5 m x", "unreadable"),
        ("h5", "unreadable"),
        ("1,5h", "unreadable"),
        ("saa", "unreadable"),
        ("mbili saa", "unreadable"),
        ("٣d", "unreadable"),  # only ASCII digits
        ("1d" * 40, "unreadable"),  # absurdly long input
        ("30s", "too_short"),
        ("59s", "too_short"),
        ("0m", "too_short"),
        ("0.5m", "too_short"),
        ("366d", "too_long"),
        ("53w", "too_long"),
        ("365d1s", "too_long"),
        ("99999999999999d", "too_long"),
        ("8785h", "too_long"),
    ],
)
def test_parse_rejects(text: str, reason: str) -> None:
    with pytest.raises(DurationError) as caught:
        parse_duration(text)
    assert caught.value.reason == reason
    assert text.strip() not in str(caught.value) or not text.strip()


def test_duration_error_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="too_long"):
        parse_duration("400d")


def test_results_never_reach_telegrams_forever_zone() -> None:
    # Telegram treats < 30 s and > 366 days as "forever"; every accepted value is well inside.
    for text in ("1m", "60s", "365d", "52w", "8760h", "525600m"):
        value = parse_duration(text)
        assert timedelta(seconds=30) < value <= timedelta(days=366)


@pytest.mark.parametrize(
    ("duration", "expected"),
    [
        (timedelta(days=1, hours=12), [("days", 1), ("hours", 12)]),
        (timedelta(minutes=30), [("minutes", 30)]),
        (timedelta(weeks=2), [("days", 14)]),
        (timedelta(seconds=90), [("minutes", 1), ("seconds", 30)]),
        (timedelta(days=3, minutes=5), [("days", 3), ("minutes", 5)]),
        (timedelta(hours=1, milliseconds=500), [("hours", 1)]),
        (timedelta(0), [("seconds", 0)]),
        (MAX_DURATION, [("days", 365)]),
    ],
)
def test_split_duration(duration: timedelta, expected: list[tuple[str, int]]) -> None:
    assert split_duration(duration) == expected


def test_split_round_trips_with_parse() -> None:
    for text in ("1d12h", "2w", "3h15m", "90s", "364d23h59m"):
        value = parse_duration(text)
        units = {"days": "d", "hours": "h", "minutes": "m", "seconds": "s"}
        rebuilt = "".join(f"{amount}{units[unit]}" for unit, amount in split_duration(value))
        assert parse_duration(rebuilt) == value


def test_split_rejects_negative() -> None:
    with pytest.raises(ValueError, match="negative"):
        split_duration(timedelta(seconds=-1))
