"""Record types of users (frozen; import nothing of the package)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Person:
    user_id: int
    language: str | None
    telegram_language: str | None
    reachable: bool
