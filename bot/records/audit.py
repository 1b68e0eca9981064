"""Record types of audit (frozen; import nothing of the package)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AuditEntry:
    id: int
    chat_id: int | None
    actor_id: int | None
    action: str
    target_id: int | None
    detail: str | None
    created_at: int
