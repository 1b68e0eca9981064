"""The USP-K session template: its parts in order, which may be skipped, and how a
facilitator moves through them. There are no timers: a part lasts as long as the group needs.
Pure: no Telegram, no database."""

from __future__ import annotations

OPENING = "opening"
SHARING = "sharing"
STRUCTURED = "structured"
BREAKOUT = "breakout"
CLOSING = "closing"
ENDING = "ending"
PARTS: tuple[str, ...] = (OPENING, SHARING, STRUCTURED, BREAKOUT, CLOSING, ENDING)
OPTIONAL = frozenset({STRUCTURED, BREAKOUT})
"""Parts a facilitator may skip: the structured or advocacy segment and the breakout topic."""
CLOSED = len(PARTS)
"""The step of a meeting that has ended."""


def part(step: int) -> str:
    return PARTS[step]


def next_step(step: int, skipped: tuple[str, ...]) -> int:
    """The step after ``step``, passing over skipped parts (``CLOSED`` after the last)."""
    following = step + 1
    while following < CLOSED and PARTS[following] in skipped:
        following += 1
    return following


def upcoming(step: int, skipped: tuple[str, ...] = ()) -> str | None:
    """The part that comes next, or None when ``step`` is the last."""
    following = next_step(step, skipped)
    return PARTS[following] if following < CLOSED else None


def can_skip_next(step: int, skipped: tuple[str, ...] = ()) -> bool:
    return upcoming(step, skipped) in OPTIONAL


def skip_next(step: int, skipped: tuple[str, ...]) -> tuple[str, ...]:
    """Leave out the part that comes next (the current part goes on); only optional parts."""
    following = upcoming(step, skipped)
    if following is None or following not in OPTIONAL:
        raise ValueError("only an optional part that comes next can be skipped")
    return (*skipped, following)
