"""Record types of scheduled (frozen; import nothing of the package)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ScheduledAction:
    id: int
    kind: str
    due_at: int
    chat_id: int | None
    user_id: int | None
    payload: dict[str, Any]
    attempts: int
