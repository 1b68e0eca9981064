"""A kind-words invitation, as stored (frozen; imports nothing of the package)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Invitation:
    id: int
    chat_id: int
    member_id: int
    asked_by: int | None  # the administrator who asked; None when the member asked
    state: str
    words: str | None
    post_id: int | None
    ends_at: int | None
    created_at: int
