"""Durations as administrators write them: ``/mute 30m``, ``/exclude 3d``, ``/exclude 1d12h``.

What is accepted (case-insensitive, surrounding whitespace ignored):

* one or more *components*, each a number followed by a unit, optionally separated by spaces,
  commas or the words "and"/"na": ``30m``, ``1h30m``, ``1d 12h``, ``2 days``,
  ``1 hour and 30 minutes``, ``1.5h``;
* Kiswahili components with the unit first: ``dakika 30``, ``saa 2``, ``siku 3``, ``wiki 2``
  (also mixed with the above: ``siku 1 saa 6``).

Units: ``s``/``sec``/``second`` (``sekunde``), ``m``/``min``/``minute`` (``dakika``),
``h``/``hr``/``hour`` (``saa``), ``d``/``day`` (``siku``), ``w``/``wk``/``week`` (``wiki``);
plurals are fine. ``m`` always means minutes; months and years are *not* accepted (say ``30d``
or ``52w``). Numbers are whole or decimal with a dot (``1.5h``); each unit may appear once.
A bare number (``30``) is rejected because its unit would be a guess.

Bounds: Telegram treats a restriction shorter than 30 seconds or longer than 366 days as
*forever*, so the result is always between :data:`MIN_DURATION` (1 minute) and
:data:`MAX_DURATION` (365 days) inclusive; anything else raises :class:`DurationError` with a
stable ``reason`` code the text layer can translate.
"""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from typing import Final, Literal

__all__ = [
    "MAX_DURATION",
    "MIN_DURATION",
    "DurationError",
    "DurationErrorReason",
    "parse_duration",
    "split_duration",
]

MIN_DURATION: Final = timedelta(minutes=1)
MAX_DURATION: Final = timedelta(days=365)

DurationErrorReason = Literal["unreadable", "too_short", "too_long"]

# Longest input we even look at; anything longer is not a duration someone typed.
_MAX_INPUT_CHARS: Final = 64

_UNIT_SECONDS: Final[dict[str, int]] = {
    "seconds": 1,
    "minutes": 60,
    "hours": 3600,
    "days": 86400,
    "weeks": 7 * 86400,
}

_UNIT_ALIASES: Final[dict[str, str]] = {
    **dict.fromkeys(("s", "sec", "secs", "second", "seconds", "sekunde"), "seconds"),
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes", "dakika"), "minutes"),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours", "saa"), "hours"),
    **dict.fromkeys(("d", "day", "days", "siku"), "days"),
    **dict.fromkeys(("w", "wk", "wks", "week", "weeks", "wiki"), "weeks"),
}

_SWAHILI_UNITS: Final = frozenset({"sekunde", "dakika", "saa", "siku", "wiki"})

_NUMBER = r"[0-9]+(?:\.[0-9]+)?"
_UNIT = r"[a-z]+"
# A component: "<number> <unit>" or (Kiswahili) "<unit> <number>".
_COMPONENT_RE: Final = re.compile(
    rf"(?:(?P<num>{_NUMBER})\s*(?P<unit>{_UNIT})|(?P<sw_unit>{_UNIT})\s+(?P<sw_num>{_NUMBER}))"
)
_SEPARATOR_RE: Final = re.compile(r"(?:\s|,|\band\b|\bna\b)*")


class DurationError(ValueError):
    """The text is not a usable duration. ``reason`` is a stable code, never the input."""

    def __init__(self, reason: DurationErrorReason) -> None:
        super().__init__(reason)
        self.reason: DurationErrorReason = reason


def parse_duration(text: str) -> timedelta:
    """Parse ``text`` (see the module docstring) into a :class:`~datetime.timedelta`.

    The result is whole seconds, at least :data:`MIN_DURATION` and at most :data:`MAX_DURATION`.
    Raises :class:`DurationError` with reason ``"unreadable"``, ``"too_short"`` or ``"too_long"``.
    """
    source = text.strip().lower()
    if not source or len(source) > _MAX_INPUT_CHARS:
        raise DurationError("unreadable")

    total = Decimal(0)
    seen: set[str] = set()
    pos = 0
    while True:
        separator = _SEPARATOR_RE.match(source, pos)
        if separator is not None:
            pos = separator.end()
        if pos >= len(source):
            break
        match = _COMPONENT_RE.match(source, pos)
        if match is None:
            raise DurationError("unreadable")
        if match.group("num") is not None:
            raw_number, raw_unit = match.group("num"), match.group("unit")
        else:
            raw_number, raw_unit = match.group("sw_num"), match.group("sw_unit")
            if raw_unit not in _SWAHILI_UNITS:
                raise DurationError("unreadable")
        unit = _UNIT_ALIASES.get(raw_unit)
        if unit is None or unit in seen:
            raise DurationError("unreadable")
        seen.add(unit)
        try:
            number = Decimal(raw_number)
        except InvalidOperation:  # pragma: no cover - the pattern only lets digits through
            raise DurationError("unreadable") from None
        total += number * _UNIT_SECONDS[unit]
        pos = match.end()

    if not seen:
        raise DurationError("unreadable")
    seconds = int(total)  # drop fractions of a second
    if seconds < MIN_DURATION.total_seconds():
        raise DurationError("too_short")
    if seconds > MAX_DURATION.total_seconds():
        raise DurationError("too_long")
    return timedelta(seconds=seconds)


_SPLIT_UNITS: Final = (("days", 86400), ("hours", 3600), ("minutes", 60), ("seconds", 1))


def split_duration(duration: timedelta) -> list[tuple[str, int]]:
    """Split ``duration`` into ``[(unit, amount), ...]`` for the text layer to render.

    Units are ``"days"``, ``"hours"``, ``"minutes"`` and ``"seconds"``, largest first; units
    with amount 0 are left out, fractions of a second are dropped. ``timedelta(days=1, hours=12)``
    gives ``[("days", 1), ("hours", 12)]``; a zero duration gives ``[("seconds", 0)]``.
    Raises :class:`ValueError` for a negative duration.
    """
    if duration < timedelta(0):
        raise ValueError("negative duration")
    remaining = duration.days * 86400 + duration.seconds
    parts: list[tuple[str, int]] = []
    for unit, size in _SPLIT_UNITS:
        amount, remaining = divmod(remaining, size)
        if amount:
            parts.append((unit, amount))
    return parts or [("seconds", 0)]
