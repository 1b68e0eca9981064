"""Numbers people type where the bot expects an id: the one check at the boundary.

Telegram's ids (people, groups, messages) and Pamoja's own record numbers are whole numbers
that fit SQLite's INTEGER (a signed 64-bit integer). A number typed in a command, a deep link or
forged into button data may be anything: a 20-digit number would raise ``OverflowError`` deep
in the database layer. ``parse_id`` reads one, and anything else (not ASCII digits, out of the
range) is ``None``: the caller answers kindly, as for any word that is not an id.
Imports nothing of the package.
"""

from __future__ import annotations

import re

MAX_ID = 2**63 - 1
MIN_ID = -(2**63)
_NUMBER = re.compile(r"^-?[0-9]{1,20}$")


def in_range(value: int) -> bool:
    """Does ``value`` fit SQLite's INTEGER?"""
    return MIN_ID <= value <= MAX_ID


def parse_id(text: str | None, *, signed: bool = True) -> int | None:
    """``text`` as a whole number that fits the database (``-`` allowed if ``signed``);
    ``None`` for anything else — other characters, other digits ("²", "٣"), too large."""
    if text is None:
        return None
    cleaned = text.strip()
    if not _NUMBER.match(cleaned) or (not signed and cleaned.startswith("-")):
        return None
    value = int(cleaned)
    return value if in_range(value) else None
