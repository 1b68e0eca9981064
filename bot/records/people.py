"""Record types of users (frozen; import nothing of the package)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Person:
    user_id: int
    language: str | None
    telegram_language: str | None
    reachable: bool


@dataclass(frozen=True)
class Membership:
    """What the bot knows of one person's place in one group (ids and times only)."""

    chat_id: int
    user_id: int
    status: str
    joined_at: int | None
    added_by: int | None
