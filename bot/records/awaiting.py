"""What the bot expects next from a person (frozen; imports nothing of the package)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Awaiting:
    """The bot is waiting for this person's next words, for ``kind`` ("feature.what")."""

    user_id: int
    kind: str
    payload: dict[str, Any]
    created_at: int
    expires_at: int
