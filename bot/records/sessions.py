"""Record types of the group's rhythm: sessions, their runs, reminders, polls, pulses
(frozen; import nothing of the package)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

WEEKLY = "weekly"
FORTNIGHTLY = "fortnightly"
MONTHLY = "monthly"
ONCE = "once"
KINDS = (WEEKLY, FORTNIGHTLY, MONTHLY, ONCE)


@dataclass(frozen=True)
class Rhythm:
    """When a session meets, on the group's wall clock.

    ``weekly``/``fortnightly``: every (second) ``weekday``, counted from ``anchor``;
    ``monthly``: the ``nth`` ``weekday`` of each month (``nth`` -1 is the last);
    ``once``: on ``anchor``.
    """

    kind: str
    at: time
    weekday: int = 5
    nth: int = 1
    anchor: date | None = None


@dataclass(frozen=True)
class Session:
    id: int
    chat_id: int
    title: str
    rhythm: Rhythm
    thread_id: int | None
    place: str | None
    next_at: int | None
    active: bool


@dataclass(frozen=True)
class SessionRun:
    """One meeting of a session, stepped through by a facilitator."""

    id: int
    session_id: int
    chat_id: int
    occurrence_at: int
    step: int
    skipped: tuple[str, ...]
    message_id: int | None
    open: bool


@dataclass(frozen=True)
class ReminderChoice:
    day_before: bool
    hour_before: bool

    @property
    def any(self) -> bool:
        return self.day_before or self.hour_before


@dataclass(frozen=True)
class RulesPoll:
    id: int
    chat_id: int
    message_id: int
    poll_id: str
    proposal: str
    closes_at: int
    status: str
    yes: int
    no: int
    talk: int


RUN = "run"
REFLECTION = "reflection"


@dataclass(frozen=True)
class PulseSubject:
    """What an anonymous answer is about: a meeting's pulse, or a group's reflection."""

    kind: str
    id: int
    chat_id: int

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id}"
