"""Record types of notices kept for a group's administrators (frozen; import nothing)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class HeldNotice:
    """A notice that reached no administrator when it was made, kept until someone can be.

    ``versions`` is the notice in every language: ``lang -> (text, buttons or None)``, the
    buttons in Telegram's own stored form (``{"inline_keyboard": [...]}``).
    """

    id: int
    chat_id: int
    item: str | None
    item_id: int | None
    versions: dict[str, tuple[str, dict[str, Any] | None]]
    team: bool
    anonymous: bool
    created_at: int
