"""Timed work that must survive restarts: the database is the source of truth."""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import Any

from bot.records.scheduled import ScheduledAction
from bot.storage.database import Database
from bot.timeutil import Clock


def _action(row: Any) -> ScheduledAction:
    return ScheduledAction(
        id=row["id"],
        kind=row["kind"],
        due_at=row["due_at"],
        chat_id=row["chat_id"],
        user_id=row["user_id"],
        payload=json.loads(row["payload"]),
        attempts=row["attempts"],
    )


class ScheduledRepo:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    async def add(
        self,
        kind: str,
        due_at: int,
        *,
        chat_id: int | None = None,
        user_id: int | None = None,
        payload: dict[str, Any] | None = None,
        dedupe_key: str | None = None,
    ) -> ScheduledAction:
        """Record an obligation. With a ``dedupe_key``, a pending twin is moved, not doubled."""
        now = self._clock.epoch()
        if dedupe_key is not None:
            await self._db.execute(
                "DELETE FROM scheduled_actions WHERE dedupe_key = ? AND status != 'pending'",
                (dedupe_key,),
            )
        row_id = await self._db.execute(
            """
            INSERT INTO scheduled_actions
                (kind, due_at, chat_id, user_id, payload, dedupe_key, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (dedupe_key) DO UPDATE SET due_at = excluded.due_at,
                payload = excluded.payload, attempts = 0
            """,
            (kind, due_at, chat_id, user_id, json.dumps(payload or {}), dedupe_key, now),
        )
        if dedupe_key is not None:
            row = await self._db.fetch_one(
                "SELECT * FROM scheduled_actions WHERE dedupe_key = ?", (dedupe_key,)
            )
        else:
            row = await self._db.fetch_one(
                "SELECT * FROM scheduled_actions WHERE id = ?", (row_id,)
            )
        assert row is not None  # noqa: S101 - just written
        return _action(row)

    async def get(self, action_id: int) -> ScheduledAction | None:
        row = await self._db.fetch_one(
            "SELECT * FROM scheduled_actions WHERE id = ? AND status = 'pending'", (action_id,)
        )
        return _action(row) if row else None

    async def pending(self, kind: str | None = None) -> list[ScheduledAction]:
        if kind is None:
            rows = await self._db.fetch_all(
                "SELECT * FROM scheduled_actions WHERE status = 'pending' ORDER BY due_at, id"
            )
        else:
            rows = await self._db.fetch_all(
                "SELECT * FROM scheduled_actions WHERE status = 'pending' AND kind = ? "
                "ORDER BY due_at, id",
                (kind,),
            )
        return [_action(row) for row in rows]

    async def pending_page(
        self, until: int, *, after: tuple[int, int] | None = None, limit: int = 5000
    ) -> list[ScheduledAction]:
        """Pending actions due by ``until``, in (due_at, id) order, after the key ``after``."""
        due, last = after if after is not None else (-(2**62), 0)
        rows = await self._db.fetch_all(
            "SELECT * FROM scheduled_actions WHERE status = 'pending' AND due_at <= ? "
            "AND (due_at > ? OR (due_at = ? AND id > ?)) ORDER BY due_at, id LIMIT ?",
            (until, due, due, last, limit),
        )
        return [_action(row) for row in rows]

    async def supersede_overdue(self, kinds: Collection[str], now: int) -> int:
        """Of pending actions of ``kinds`` due by ``now`` for the same chat and person, close
        all but the latest as ``cancelled``; returns how many were closed."""
        if not kinds:
            return 0
        return await self._db.execute(
            "UPDATE scheduled_actions SET status = 'cancelled', finished_at = ? WHERE id IN ("
            " SELECT id FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY kind, chat_id, user_id"
            "  ORDER BY due_at DESC, id DESC) AS newer FROM scheduled_actions"
            "  WHERE status = 'pending' AND due_at <= ?"
            "  AND kind IN (SELECT value FROM json_each(?))) WHERE newer > 1)",
            (self._clock.epoch(), now, json.dumps(sorted(kinds))),
        )

    async def due_count(self, now: int) -> int:
        """How many pending actions are due (a health gauge)."""
        row = await self._db.fetch_one(
            "SELECT COUNT(*) FROM scheduled_actions WHERE status = 'pending' AND due_at <= ?",
            (now,),
        )
        return int(row[0]) if row else 0

    async def finish(self, action_id: int, status: str = "done") -> bool:
        """Close a pending action; False if it was already closed (so it runs once)."""
        changed = await self._db.execute(
            "UPDATE scheduled_actions SET status = ?, finished_at = ? "
            "WHERE id = ? AND status = 'pending'",
            (status, self._clock.epoch(), action_id),
        )
        return changed > 0

    async def retry_later(self, action_id: int, due_at: int) -> None:
        await self._db.execute(
            "UPDATE scheduled_actions SET due_at = ?, attempts = attempts + 1 "
            "WHERE id = ? AND status = 'pending'",
            (due_at, action_id),
        )

    async def cancel(self, kind: str, *, chat_id: int | None, user_id: int | None) -> list[int]:
        """Cancel pending actions of a kind for a chat/person; returns the cancelled ids."""
        rows = await self._db.fetch_all(
            "SELECT id FROM scheduled_actions WHERE status = 'pending' AND kind = ? "
            "AND chat_id IS ? AND user_id IS ?",
            (kind, chat_id, user_id),
        )
        ids = [int(row["id"]) for row in rows]
        for action_id in ids:
            await self.finish(action_id, "cancelled")
        return ids

    async def forget_person(self, user_id: int, *, keep_pending: str) -> int:
        """A person asked to be forgotten: their finished timed work goes, and every pending
        action except those whose kind starts with ``keep_pending`` (a measure still in force
        ends on time)."""
        # A private chat's id is its person's: timed work for that chat is theirs too.
        return await self._db.execute(
            "DELETE FROM scheduled_actions WHERE (user_id = ? OR chat_id = ?) "
            "AND (status != 'pending' OR substr(kind, 1, ?) != ?)",
            (user_id, user_id, len(keep_pending), keep_pending),
        )

    async def purge_finished(self, before: int) -> int:
        return await self._db.execute(
            "DELETE FROM scheduled_actions WHERE status != 'pending' AND finished_at < ?",
            (before,),
        )
