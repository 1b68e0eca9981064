"""A message in the outbox (``bot/delivery/outbox.py``): what, to whom, how far it got."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Outgoing:
    id: int
    chat_id: int
    body: str
    markup: dict[str, Any] | None
    kind: str
    lane: str
    member_id: int | None
    fail_chat: int | None
    fail_body: str | None
    status: str
    attempts: int
    claimed_at: int | None
    next_at: int
    doubt: bool
    high_water: int | None
    message_id: int | None
    copy_chat: int | None
    copy_message: int | None
    ref: int | None
    reply_to: int | None
    edit_of: int | None
    error: str | None
    created_at: int

    @property
    def waiting(self) -> bool:
        return self.status in ("pending", "sending")
