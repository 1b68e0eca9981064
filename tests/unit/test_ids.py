"""``parse_id``: a number typed where an id is expected, within SQLite's INTEGER, or None."""

from __future__ import annotations

import pytest

from bot.ids import MAX_ID, MIN_ID, parse_id


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("123456789", 123456789),
        ("-1001000000001", -1001000000001),
        (" 42 ", 42),
        (str(MAX_ID), MAX_ID),
        (str(MIN_ID), MIN_ID),
        (str(MAX_ID + 1), None),
        (str(MIN_ID - 1), None),
        ("99999999999999999999", None),
        ("1" * 40, None),
        ("²", None),  # isdigit() says yes, int() says no
        ("٣٤", None),  # other scripts' digits are not ids
        ("１２", None),
        ("12a", None),
        ("", None),
        ("-", None),
        ("+5", None),
        (None, None),
    ],
)
def test_parse_id(text: str | None, expected: int | None) -> None:
    assert parse_id(text) == expected


def test_unsigned() -> None:
    assert parse_id("-5", signed=False) is None
    assert parse_id("5", signed=False) == 5
