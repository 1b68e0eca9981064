"""Record types of moderation: warnings, mutes and exclusions, reports and flags, appeals, and
the admins' copies of a notice (frozen; import nothing of the package)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class WarningRecord:
    id: int
    chat_id: int
    user_id: int
    actor_id: int | None
    reason: str | None
    created_at: int


@dataclass(frozen=True)
class Sanction:
    id: int
    chat_id: int
    user_id: int
    kind: str
    actor_id: int | None
    contact_id: int | None
    reason: str | None
    starts_at: int
    ends_at: int
    status: str
    checkins: bool
    reached: bool


@dataclass(frozen=True)
class Report:
    id: int
    chat_id: int
    message_id: int
    target_id: int | None
    kind: str
    status: str
    outcome: str | None
    handled_by: int | None
    reports: int
    created_at: int


@dataclass(frozen=True)
class Appeal:
    id: int
    chat_id: int
    user_id: int
    status: str
    handled_by: int | None
    created_at: int
    actor_id: int | None = None  # the administrator who took the measure appealed
    routed: bool = False  # the appeal reached administrators other than them
    measure: str | None = None  # warn, mute, exclude


@dataclass(frozen=True)
class Copy:
    chat_id: int
    message_id: int
