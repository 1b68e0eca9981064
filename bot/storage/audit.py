"""The audit log: who did what, to whom, why and when. Reasons are encrypted at rest."""

from __future__ import annotations

from bot.crypto import FieldCipher
from bot.records.audit import AuditEntry
from bot.storage.database import Database
from bot.timeutil import Clock

_DETAIL = "audit.detail"


class AuditRepo:
    def __init__(self, db: Database, cipher: FieldCipher, clock: Clock) -> None:
        self._db = db
        self._cipher = cipher
        self._clock = clock

    async def record(
        self,
        action: str,
        *,
        chat_id: int | None,
        actor_id: int | None,
        target_id: int | None = None,
        detail: str | None = None,
    ) -> int:
        return await self._db.execute(
            "INSERT INTO audit_log (chat_id, actor_id, action, target_id, detail, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (
                chat_id,
                actor_id,
                action,
                target_id,
                self._cipher.encrypt_optional(detail, _DETAIL),
                self._clock.epoch(),
            ),
        )

    async def recent(
        self, chat_id: int, *, target_id: int | None = None, limit: int = 20
    ) -> list[AuditEntry]:
        if target_id is None:
            rows = await self._db.fetch_all(
                "SELECT * FROM audit_log WHERE chat_id = ? ORDER BY id DESC LIMIT ?",
                (chat_id, limit),
            )
        else:
            rows = await self._db.fetch_all(
                "SELECT * FROM audit_log WHERE chat_id = ? AND target_id = ? "
                "ORDER BY id DESC LIMIT ?",
                (chat_id, target_id, limit),
            )
        return [
            AuditEntry(
                id=row["id"],
                chat_id=row["chat_id"],
                actor_id=row["actor_id"],
                action=row["action"],
                target_id=row["target_id"],
                detail=self._cipher.decrypt_optional(row["detail"], _DETAIL),
                created_at=row["created_at"],
            )
            for row in rows
        ]

    async def anonymise_person(self, user_id: int) -> None:
        """Keep only an anonymous trace of entries about or by a forgotten person."""
        await self._db.execute(
            "UPDATE audit_log SET target_id = NULL, detail = NULL WHERE target_id = ?", (user_id,)
        )
        await self._db.execute(
            "UPDATE audit_log SET actor_id = NULL WHERE actor_id = ?", (user_id,)
        )
