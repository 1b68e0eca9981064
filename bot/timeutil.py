"""Time, injectable: the bot asks a ``Clock`` for "now" so tests can move time."""

from __future__ import annotations

import time
from datetime import UTC, datetime


class Clock:
    """Wall-clock time in UTC. Tests use ``ManualClock``."""

    def epoch(self) -> int:
        return int(time.time())

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.epoch(), UTC)


class ManualClock(Clock):
    """A clock that only moves when told to."""

    def __init__(self, start: float | None = None) -> None:
        self._now = float(time.time() if start is None else start)

    def epoch(self) -> int:
        return int(self._now)

    def advance(self, seconds: float) -> None:
        self._now += seconds
