"""Ground rules storage: versions, acceptances, the gate, join requests and rules settings."""

from __future__ import annotations

from datetime import time
from typing import Any

from bot.records.rules import (
    DEFAULT_TIME,
    WHERE_CHOICES,
    Acceptance,
    GateEntry,
    JoinRequest,
    RulesSettings,
    RulesVersion,
    Schedule,
)
from bot.storage.database import Database
from bot.timeutil import Clock


def _stored_time(raw: str) -> time:
    """A reminder time as stored (``HH:MM``, what ``Schedule.hhmm`` writes); the default if
    the row is damaged."""
    hour, found, minute = raw.strip().partition(":")
    if not (found and hour.isdigit() and minute.isdigit() and len(minute) == 2):
        return DEFAULT_TIME
    try:
        return time(int(hour), int(minute))
    except ValueError:
        return DEFAULT_TIME


def _version(row: Any) -> RulesVersion:
    return RulesVersion(
        chat_id=row["chat_id"],
        version=row["version"],
        body=row["body"],
        author_id=row["author_id"],
        created_at=row["created_at"],
    )


def _gate(row: Any) -> GateEntry:
    return GateEntry(
        chat_id=row["chat_id"],
        user_id=row["user_id"],
        version=row["version"],
        message_id=row["message_id"],
        restricted=bool(row["restricted"]),
        joined_at=row["joined_at"],
        reminded_at=row["reminded_at"],
    )


def _request(row: Any) -> JoinRequest:
    return JoinRequest(
        id=row["id"],
        chat_id=row["chat_id"],
        user_id=row["user_id"],
        user_chat_id=row["user_chat_id"],
        status=row["status"],
        requested_at=row["requested_at"],
        decided_at=row["decided_at"],
        decided_by=row["decided_by"],
        how=row["how"],
    )


class RulesRepo:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    # --- versions -------------------------------------------------------------------------

    async def current(self, chat_id: int) -> RulesVersion | None:
        """The group's own latest rules; None while it uses the default rules (version 0)."""
        row = await self._db.fetch_one(
            "SELECT * FROM rules_versions WHERE chat_id = ? ORDER BY version DESC LIMIT 1",
            (chat_id,),
        )
        return _version(row) if row else None

    async def current_version(self, chat_id: int) -> int:
        row = await self._db.fetch_one(
            "SELECT MAX(version) AS v FROM rules_versions WHERE chat_id = ?", (chat_id,)
        )
        return int(row["v"]) if row and row["v"] is not None else 0

    async def add_version(self, chat_id: int, body: str, author_id: int | None) -> RulesVersion:
        """Keep a new version of the rules; the previous ones stay in history."""
        async with self._db.transaction():
            version = await self.current_version(chat_id) + 1
            await self._db.execute(
                "INSERT INTO rules_versions (chat_id, version, body, author_id, created_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (chat_id, version, body, author_id, self._clock.epoch()),
            )
        return RulesVersion(chat_id, version, body, author_id, self._clock.epoch())

    async def history(self, chat_id: int) -> list[RulesVersion]:
        rows = await self._db.fetch_all(
            "SELECT * FROM rules_versions WHERE chat_id = ? ORDER BY version DESC", (chat_id,)
        )
        return [_version(row) for row in rows]

    # --- acceptances ----------------------------------------------------------------------

    async def accept(self, chat_id: int, user_id: int, version: int) -> Acceptance:
        now = self._clock.epoch()
        await self._db.execute(
            "INSERT INTO rules_acceptances (chat_id, user_id, version, accepted_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (chat_id, user_id, version) DO NOTHING",
            (chat_id, user_id, version, now),
        )
        row = await self._db.fetch_one(
            "SELECT * FROM rules_acceptances WHERE chat_id = ? AND user_id = ? AND version = ?",
            (chat_id, user_id, version),
        )
        assert row is not None  # noqa: S101 - just written
        return Acceptance(chat_id, user_id, version, row["accepted_at"])

    async def has_accepted(self, chat_id: int, user_id: int, version: int) -> bool:
        row = await self._db.fetch_one(
            "SELECT 1 FROM rules_acceptances WHERE chat_id = ? AND user_id = ? AND version = ?",
            (chat_id, user_id, version),
        )
        return row is not None

    async def acceptances(self, chat_id: int, user_id: int) -> list[Acceptance]:
        rows = await self._db.fetch_all(
            "SELECT * FROM rules_acceptances WHERE chat_id = ? AND user_id = ? ORDER BY version",
            (chat_id, user_id),
        )
        return [
            Acceptance(row["chat_id"], row["user_id"], row["version"], row["accepted_at"])
            for row in rows
        ]

    # --- the gate -------------------------------------------------------------------------

    async def gate_open(
        self, chat_id: int, user_id: int, version: int, message_id: int | None, restricted: bool
    ) -> None:
        await self._db.execute(
            """
            INSERT INTO rules_gate (chat_id, user_id, version, message_id, restricted, joined_at)
            VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (chat_id, user_id) DO UPDATE SET version = excluded.version,
                message_id = excluded.message_id, restricted = excluded.restricted,
                joined_at = excluded.joined_at, reminded_at = NULL
            """,
            (chat_id, user_id, version, message_id, int(restricted), self._clock.epoch()),
        )

    async def gate_get(self, chat_id: int, user_id: int) -> GateEntry | None:
        row = await self._db.fetch_one(
            "SELECT * FROM rules_gate WHERE chat_id = ? AND user_id = ?", (chat_id, user_id)
        )
        return _gate(row) if row else None

    async def gate_welcomed(self, chat_id: int, user_id: int, message_id: int) -> None:
        """The newcomer's welcome got through: its message (removed once they agree)."""
        await self._db.execute(
            "UPDATE rules_gate SET message_id = ? WHERE chat_id = ? AND user_id = ?",
            (message_id, chat_id, user_id),
        )

    async def gate_reminded(self, chat_id: int, user_id: int, message_id: int | None) -> None:
        await self._db.execute(
            "UPDATE rules_gate SET reminded_at = ?, message_id = COALESCE(?, message_id) "
            "WHERE chat_id = ? AND user_id = ?",
            (self._clock.epoch(), message_id, chat_id, user_id),
        )

    async def gate_close(self, chat_id: int, user_id: int) -> bool:
        """Remove the newcomer's gate entry; False if there was none (so it closes once)."""
        changed = await self._db.execute(
            "DELETE FROM rules_gate WHERE chat_id = ? AND user_id = ?", (chat_id, user_id)
        )
        return changed > 0

    # --- join requests --------------------------------------------------------------------

    async def request_open(self, chat_id: int, user_id: int, user_chat_id: int | None) -> int:
        existing = await self.request_pending(chat_id, user_id)
        if existing is not None:
            await self._db.execute(
                "UPDATE rules_join_requests SET user_chat_id = ? WHERE id = ?",
                (user_chat_id, existing.id),
            )
            return existing.id
        return await self._db.execute(
            "INSERT INTO rules_join_requests (chat_id, user_id, user_chat_id, requested_at) "
            "VALUES (?, ?, ?, ?)",
            (chat_id, user_id, user_chat_id, self._clock.epoch()),
        )

    async def request_get(self, request_id: int) -> JoinRequest | None:
        row = await self._db.fetch_one(
            "SELECT * FROM rules_join_requests WHERE id = ?", (request_id,)
        )
        return _request(row) if row else None

    async def request_pending(self, chat_id: int, user_id: int) -> JoinRequest | None:
        row = await self._db.fetch_one(
            "SELECT * FROM rules_join_requests WHERE chat_id = ? AND user_id = ? "
            "AND status = 'pending'",
            (chat_id, user_id),
        )
        return _request(row) if row else None

    async def request_decide(
        self, request_id: int, status: str, decided_by: int | None, how: str
    ) -> bool:
        """Record the outcome of a pending request; False if it was already decided."""
        changed = await self._db.execute(
            "UPDATE rules_join_requests SET status = ?, decided_at = ?, decided_by = ?, how = ? "
            "WHERE id = ? AND status = 'pending'",
            (status, self._clock.epoch(), decided_by, how, request_id),
        )
        return changed > 0

    # --- settings -------------------------------------------------------------------------

    async def settings(self, chat_id: int) -> RulesSettings:
        row = await self._db.fetch_one(
            "SELECT * FROM rules_settings WHERE chat_id = ?", (chat_id,)
        )
        if row is None:
            return RulesSettings(chat_id, Schedule(), reacceptance=False, rules_where="group")
        return RulesSettings(
            chat_id=chat_id,
            schedule=Schedule(
                enabled=bool(row["reminders"]),
                weekday=row["reminder_weekday"],
                at=_stored_time(row["reminder_time"]),
            ),
            reacceptance=bool(row["reacceptance"]),
            rules_where=row["rules_where"],
        )

    async def save_settings(self, settings: RulesSettings) -> None:
        if settings.rules_where not in WHERE_CHOICES:
            raise ValueError(f"not a place for the rules: {settings.rules_where}")
        await self._db.execute(
            """
            INSERT INTO rules_settings
                (chat_id, reminders, reminder_weekday, reminder_time, reacceptance, rules_where)
            VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (chat_id) DO UPDATE SET reminders = excluded.reminders,
                reminder_weekday = excluded.reminder_weekday,
                reminder_time = excluded.reminder_time,
                reacceptance = excluded.reacceptance, rules_where = excluded.rules_where
            """,
            (
                settings.chat_id,
                int(settings.schedule.enabled),
                settings.schedule.weekday,
                settings.schedule.hhmm,
                int(settings.reacceptance),
                settings.rules_where,
            ),
        )

    # --- a person's own data (/mydata, /forgetme) -----------------------------------------

    async def export_person(self, user_id: int) -> dict[str, Any]:
        """What the rules feature keeps about a person: agreements, waits, join requests."""
        agreed = await self._db.fetch_all(
            "SELECT chat_id, version, accepted_at FROM rules_acceptances WHERE user_id = ? "
            "ORDER BY accepted_at",
            (user_id,),
        )
        waiting = await self._db.fetch_all(
            "SELECT chat_id, version, joined_at, reminded_at FROM rules_gate WHERE user_id = ?",
            (user_id,),
        )
        requests = await self._db.fetch_all(
            "SELECT chat_id, status, requested_at, decided_at FROM rules_join_requests "
            "WHERE user_id = ? ORDER BY id",
            (user_id,),
        )
        written = await self._db.fetch_all(
            "SELECT chat_id, version, created_at FROM rules_versions WHERE author_id = ?",
            (user_id,),
        )
        return {
            "rules_agreed": [dict(row) for row in agreed],
            "waiting_to_agree": [dict(row) for row in waiting],
            "join_requests": [dict(row) for row in requests],
            "rules_versions_written": [dict(row) for row in written],
        }

    async def forget_person(self, user_id: int) -> None:
        """Erase a person's agreements and requests; rules they wrote stay, unsigned."""
        async with self._db.transaction():
            for table in ("rules_acceptances", "rules_gate"):
                await self._db.execute(
                    f"DELETE FROM {table} WHERE user_id = ?",  # noqa: S608 - fixed names
                    (user_id,),
                )
            await self._db.execute("DELETE FROM rules_join_requests WHERE user_id = ?", (user_id,))
            await self._db.execute(
                "UPDATE rules_join_requests SET decided_by = NULL WHERE decided_by = ?",
                (user_id,),
            )
            await self._db.execute(
                "UPDATE rules_versions SET author_id = NULL WHERE author_id = ?", (user_id,)
            )

    async def purge(self, before: int) -> int:
        """Forget answered join requests decided before ``before`` (the retention period)."""
        return await self._db.execute(
            "DELETE FROM rules_join_requests WHERE status != 'pending' AND decided_at < ?",
            (before,),
        )
