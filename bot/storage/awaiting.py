"""What the bot expects next from a person, kept in the database so a restart loses nothing."""

from __future__ import annotations

import json
from typing import Any

from bot.records.awaiting import Awaiting
from bot.storage.database import Database
from bot.timeutil import Clock


class AwaitingRepo:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    async def expect(
        self, user_id: int, kind: str, seconds: int, payload: dict[str, Any] | None = None
    ) -> Awaiting:
        """From now on, this person's next private words are for ``kind`` (replacing any other)."""
        now = self._clock.epoch()
        body = json.dumps(payload or {}, sort_keys=True)
        await self._db.execute(
            """
            INSERT INTO awaiting (user_id, kind, payload, created_at, expires_at)
            VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (user_id) DO UPDATE SET kind = excluded.kind,
                payload = excluded.payload, created_at = excluded.created_at,
                expires_at = excluded.expires_at
            """,
            (user_id, kind, body, now, now + seconds),
        )
        return Awaiting(user_id, kind, payload or {}, now, now + seconds)

    async def current(self, user_id: int) -> Awaiting | None:
        """What the bot waits for from this person, if it has not expired."""
        row = await self._db.fetch_one(
            "SELECT * FROM awaiting WHERE user_id = ? AND expires_at > ?",
            (user_id, self._clock.epoch()),
        )
        if row is None:
            return None
        return Awaiting(
            user_id=row["user_id"],
            kind=row["kind"],
            payload=json.loads(row["payload"]),
            created_at=row["created_at"],
            expires_at=row["expires_at"],
        )

    async def clear(self, user_id: int, kind: str | None = None) -> bool:
        """Stop waiting (only for ``kind``, when given). True if something was waiting."""
        if kind is None:
            removed = await self._db.execute("DELETE FROM awaiting WHERE user_id = ?", (user_id,))
        else:
            removed = await self._db.execute(
                "DELETE FROM awaiting WHERE user_id = ? AND kind = ?", (user_id, kind)
            )
        return removed > 0

    async def purge(self, before: int) -> int:
        """Drop expired rows (retention)."""
        return await self._db.execute("DELETE FROM awaiting WHERE expires_at <= ?", (before,))
