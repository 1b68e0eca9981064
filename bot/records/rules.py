"""Record types of the ground rules (frozen; import nothing of the package).

Versions, agreements, the gate's waiting newcomers, join requests, and a group's rules
settings with its reminder ``Schedule``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

WHERE_CHOICES = ("group", "private")

# Monday is 0, as in ``datetime.weekday()``.
DEFAULT_WEEKDAY = 0
DEFAULT_TIME = time(10, 0)


@dataclass(frozen=True)
class Schedule:
    """When the group is reminded of its rules; ``enabled`` False means never."""

    enabled: bool = True
    weekday: int = DEFAULT_WEEKDAY
    at: time = DEFAULT_TIME

    @property
    def hhmm(self) -> str:
        return f"{self.at.hour:02d}:{self.at.minute:02d}"


@dataclass(frozen=True)
class RulesVersion:
    chat_id: int
    version: int
    body: str
    author_id: int | None
    created_at: int


@dataclass(frozen=True)
class Acceptance:
    chat_id: int
    user_id: int
    version: int
    accepted_at: int


@dataclass(frozen=True)
class GateEntry:
    chat_id: int
    user_id: int
    version: int
    message_id: int | None
    restricted: bool
    joined_at: int
    reminded_at: int | None


@dataclass(frozen=True)
class JoinRequest:
    id: int
    chat_id: int
    user_id: int
    user_chat_id: int | None
    status: str
    requested_at: int
    decided_at: int | None
    decided_by: int | None
    how: str | None
    agreed_at: int | None = None


@dataclass(frozen=True)
class RulesSettings:
    chat_id: int
    schedule: Schedule
    reacceptance: bool
    rules_where: str
