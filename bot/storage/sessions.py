"""The group's rhythm: sessions, runs, members' reminder choices, template texts, rules polls
and the anonymous pulse (no person id; the week only)."""

from __future__ import annotations

import json
from datetime import date, time
from typing import Any

from bot.crypto import FieldCipher
from bot.records.sessions import (
    REFLECTION,
    RUN,
    PulseSubject,
    ReminderChoice,
    Rhythm,
    RulesPoll,
    Session,
    SessionRun,
)
from bot.storage.database import Database
from bot.timeutil import Clock

_IMPROVE = "session_pulse_improve"


def _rhythm_json(rhythm: Rhythm) -> str:
    return json.dumps(
        {
            "kind": rhythm.kind,
            "at": rhythm.at.strftime("%H:%M"),
            "weekday": rhythm.weekday,
            "nth": rhythm.nth,
            "anchor": rhythm.anchor.isoformat() if rhythm.anchor else None,
        }
    )


def _rhythm(raw: str) -> Rhythm:
    value = json.loads(raw)
    hour, minute = (int(part) for part in value["at"].split(":"))
    anchor = date.fromisoformat(value["anchor"]) if value.get("anchor") else None
    return Rhythm(
        kind=value["kind"],
        at=time(hour, minute),
        weekday=int(value["weekday"]),
        nth=int(value["nth"]),
        anchor=anchor,
    )


def _session(row: Any) -> Session:
    return Session(
        id=row["id"],
        chat_id=row["chat_id"],
        title=row["title"],
        rhythm=_rhythm(row["rhythm"]),
        thread_id=row["thread_id"],
        place=row["place"],
        next_at=row["next_at"],
        active=bool(row["active"]),
    )


def _run(row: Any) -> SessionRun:
    return SessionRun(
        id=row["id"],
        session_id=row["session_id"],
        chat_id=row["chat_id"],
        occurrence_at=row["occurrence_at"],
        step=row["step"],
        skipped=tuple(part for part in row["skipped"].split(",") if part),
        message_id=row["message_id"],
        open=bool(row["open"]),
    )


def _poll(row: Any) -> RulesPoll:
    return RulesPoll(
        id=row["id"],
        chat_id=row["chat_id"],
        message_id=row["message_id"],
        poll_id=row["poll_id"],
        proposal=row["proposal"],
        closes_at=row["closes_at"],
        status=row["status"],
        yes=row["yes"],
        no=row["no"],
        talk=row["talk"],
    )


class SessionRepo:
    def __init__(self, db: Database, cipher: FieldCipher, clock: Clock) -> None:
        self._db = db
        self._cipher = cipher
        self._clock = clock

    # -- sessions --------------------------------------------------------------------------

    async def add(
        self, chat_id: int, title: str, rhythm: Rhythm, thread_id: int | None, next_at: int | None
    ) -> Session:
        session_id = await self._db.execute(
            "INSERT INTO sessions (chat_id, title, rhythm, thread_id, next_at, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (chat_id, title, _rhythm_json(rhythm), thread_id, next_at, self._clock.epoch()),
        )
        found = await self.get(session_id)
        if found is None:  # pragma: no cover - just inserted
            raise RuntimeError("session vanished")
        return found

    async def get(self, session_id: int) -> Session | None:
        row = await self._db.fetch_one("SELECT * FROM sessions WHERE id = ?", (session_id,))
        return _session(row) if row else None

    async def of_group(self, chat_id: int) -> list[Session]:
        rows = await self._db.fetch_all(
            "SELECT * FROM sessions WHERE chat_id = ? AND active = 1 ORDER BY next_at, id",
            (chat_id,),
        )
        return [_session(row) for row in rows]

    async def set_next(self, session_id: int, next_at: int | None) -> None:
        await self._db.execute(
            "UPDATE sessions SET next_at = ?, active = ? WHERE id = ?",
            (next_at, int(next_at is not None), session_id),
        )

    async def set_place(self, session_id: int, place: str | None) -> None:
        await self._db.execute("UPDATE sessions SET place = ? WHERE id = ?", (place, session_id))

    async def end(self, session_id: int) -> None:
        await self._db.execute(
            "UPDATE sessions SET active = 0, next_at = NULL WHERE id = ?", (session_id,)
        )

    # -- runs ------------------------------------------------------------------------------

    async def open_run(self, session: Session, occurrence_at: int) -> SessionRun | None:
        """The run of this meeting; None if its opening was already posted (a job run twice)."""
        await self._db.execute(
            "INSERT OR IGNORE INTO session_runs (session_id, chat_id, occurrence_at, started_at) "
            "VALUES (?, ?, ?, ?)",
            (session.id, session.chat_id, occurrence_at, self._clock.epoch()),
        )
        row = await self._db.fetch_one(
            "SELECT * FROM session_runs WHERE session_id = ? AND occurrence_at = ?",
            (session.id, occurrence_at),
        )
        if row is None or row["step"] != 0 or row["message_id"] is not None:
            return None
        return _run(row)

    async def run(self, run_id: int) -> SessionRun | None:
        row = await self._db.fetch_one("SELECT * FROM session_runs WHERE id = ?", (run_id,))
        return _run(row) if row else None

    async def move_run(
        self, run: SessionRun, *, step: int, skipped: tuple[str, ...], done: bool
    ) -> bool:
        """Move a run on from the state it was read in (two presses never both move it)."""
        now = self._clock.epoch()
        return (
            await self._db.execute(
                "UPDATE session_runs SET step = ?, skipped = ?, open = ?, closed_at = ? "
                "WHERE id = ? AND step = ? AND skipped = ? AND open = 1",
                (
                    step,
                    ",".join(skipped),
                    int(not done),
                    now if done else None,
                    run.id,
                    run.step,
                    ",".join(run.skipped),
                ),
            )
            == 1
        )

    async def set_run_message(self, run_id: int, message_id: int) -> None:
        await self._db.execute(
            "UPDATE session_runs SET message_id = ? WHERE id = ?", (message_id, run_id)
        )

    async def runs_between(self, chat_id: int, start: int, end: int) -> int:
        row = await self._db.fetch_one(
            "SELECT COUNT(*) AS n FROM session_runs WHERE chat_id = ? "
            "AND started_at >= ? AND started_at < ?",
            (chat_id, start, end),
        )
        return int(row["n"]) if row else 0

    # -- reminders -------------------------------------------------------------------------

    async def choose_reminders(
        self, session_id: int, user_id: int, choice: ReminderChoice
    ) -> None:
        if not choice.any:
            await self._db.execute(
                "DELETE FROM session_reminders WHERE session_id = ? AND user_id = ?",
                (session_id, user_id),
            )
            return
        await self._db.execute(
            "INSERT INTO session_reminders (session_id, user_id, day_before, hour_before) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (session_id, user_id) DO UPDATE SET "
            "day_before = excluded.day_before, hour_before = excluded.hour_before",
            (session_id, user_id, int(choice.day_before), int(choice.hour_before)),
        )

    async def reminders_of(self, session_id: int, user_id: int) -> ReminderChoice:
        row = await self._db.fetch_one(
            "SELECT * FROM session_reminders WHERE session_id = ? AND user_id = ?",
            (session_id, user_id),
        )
        if row is None:
            return ReminderChoice(False, False)
        return ReminderChoice(bool(row["day_before"]), bool(row["hour_before"]))

    async def reminded(self, session_id: int, *, day_before: bool) -> list[int]:
        column = "day_before" if day_before else "hour_before"
        rows = await self._db.fetch_all(
            f"SELECT user_id FROM session_reminders WHERE session_id = ? AND {column} = 1 "  # noqa: S608
            "ORDER BY user_id",
            (session_id,),
        )
        return [int(row["user_id"]) for row in rows]

    async def export_person(self, user_id: int) -> dict[str, Any]:
        rows = await self._db.fetch_all(
            "SELECT s.chat_id, s.title, r.day_before, r.hour_before FROM session_reminders r "
            "JOIN sessions s ON s.id = r.session_id WHERE r.user_id = ?",
            (user_id,),
        )
        return {
            "reminders": [dict(row) for row in rows],
            "self_description": await self.self_description(user_id),
        }

    async def forget_person(self, user_id: int) -> None:
        await self._db.execute("DELETE FROM session_reminders WHERE user_id = ?", (user_id,))
        await self._db.execute("DELETE FROM self_descriptions WHERE user_id = ?", (user_id,))

    # -- template texts --------------------------------------------------------------------

    async def texts(self, chat_id: int) -> dict[str, str]:
        rows = await self._db.fetch_all(
            "SELECT part, body FROM session_texts WHERE chat_id = ?", (chat_id,)
        )
        return {row["part"]: row["body"] for row in rows}

    async def set_text(self, chat_id: int, part: str, body: str | None) -> None:
        if body is None:
            await self._db.execute(
                "DELETE FROM session_texts WHERE chat_id = ? AND part = ?", (chat_id, part)
            )
            return
        await self._db.execute(
            "INSERT INTO session_texts (chat_id, part, body) VALUES (?, ?, ?) "
            "ON CONFLICT (chat_id, part) DO UPDATE SET body = excluded.body",
            (chat_id, part, body),
        )

    # -- rules polls -----------------------------------------------------------------------

    async def add_poll(
        self, chat_id: int, message_id: int, poll_id: str, proposal: str, closes_at: int
    ) -> RulesPoll:
        poll_row = await self._db.execute(
            "INSERT INTO rules_polls (chat_id, message_id, poll_id, proposal, closes_at, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?)",
            (chat_id, message_id, poll_id, proposal, closes_at, self._clock.epoch()),
        )
        found = await self.poll(poll_row)
        if found is None:  # pragma: no cover - just inserted
            raise RuntimeError("poll vanished")
        return found

    async def poll(self, poll_row: int) -> RulesPoll | None:
        row = await self._db.fetch_one("SELECT * FROM rules_polls WHERE id = ?", (poll_row,))
        return _poll(row) if row else None

    async def poll_by_telegram_id(self, poll_id: str) -> RulesPoll | None:
        row = await self._db.fetch_one("SELECT * FROM rules_polls WHERE poll_id = ?", (poll_id,))
        return _poll(row) if row else None

    async def count_poll(self, poll_id: str, counts: tuple[int, int, int]) -> None:
        await self._db.execute(
            "UPDATE rules_polls SET yes = ?, no = ?, talk = ? WHERE poll_id = ?",
            (*counts, poll_id),
        )

    async def move_poll(self, poll_row: int, *, from_status: str, status: str) -> bool:
        return (
            await self._db.execute(
                "UPDATE rules_polls SET status = ? WHERE id = ? AND status = ?",
                (status, poll_row, from_status),
            )
            == 1
        )

    # -- the pulse and the reflection ----------------------------------------------------

    async def open_reflection(self, chat_id: int) -> PulseSubject:
        reflection_id = await self._db.execute(
            "INSERT INTO group_reflections (chat_id, opened_at) VALUES (?, ?)",
            (chat_id, self._clock.epoch()),
        )
        return PulseSubject(REFLECTION, reflection_id, chat_id)

    async def last_reflection(self, chat_id: int) -> int | None:
        row = await self._db.fetch_one(
            "SELECT MAX(opened_at) AS at FROM group_reflections WHERE chat_id = ?", (chat_id,)
        )
        return int(row["at"]) if row and row["at"] is not None else None

    async def reflection(self, reflection_id: int) -> tuple[PulseSubject, int] | None:
        """A reflection and when it opened."""
        row = await self._db.fetch_one(
            "SELECT * FROM group_reflections WHERE id = ?", (reflection_id,)
        )
        if row is None:
            return None
        return PulseSubject(REFLECTION, row["id"], row["chat_id"]), int(row["opened_at"])

    async def pulse_seen(self, subject: PulseSubject, digest: str) -> bool:
        row = await self._db.fetch_one(
            "SELECT 1 FROM session_pulse_seen WHERE subject = ? AND digest = ?",
            (subject.key, digest),
        )
        return row is not None

    async def add_pulse(
        self, subject: PulseSubject, digest: str, answer: str, improve: str | None, week: str
    ) -> bool:
        """Store one answer; False if this person already answered this question."""
        run_id = subject.id if subject.kind == RUN else None
        reflection_id = subject.id if subject.kind == REFLECTION else None
        async with self._db.transaction():
            if await self.pulse_seen(subject, digest):
                return False
            await self._db.execute(
                "INSERT INTO session_pulse_seen (subject, digest) VALUES (?, ?)",
                (subject.key, digest),
            )
            await self._db.execute(
                "INSERT INTO session_pulse (run_id, reflection_id, chat_id, answer, improve, "
                "week) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    run_id,
                    reflection_id,
                    subject.chat_id,
                    answer,
                    self._cipher.encrypt_optional(improve, _IMPROVE),
                    week,
                ),
            )
        return True

    async def pulse_counts(self, chat_id: int, kind: str) -> dict[str, int]:
        column = "run_id" if kind == RUN else "reflection_id"
        rows = await self._db.fetch_all(
            f"SELECT answer, COUNT(*) AS n FROM session_pulse WHERE chat_id = ? "  # noqa: S608
            f"AND {column} IS NOT NULL GROUP BY answer",
            (chat_id,),
        )
        return {row["answer"]: int(row["n"]) for row in rows}

    # -- self-descriptions -----------------------------------------------------------------

    async def describe_self(self, user_id: int, kind: str | None) -> None:
        if kind is None:
            await self._db.execute("DELETE FROM self_descriptions WHERE user_id = ?", (user_id,))
            return
        await self._db.execute(
            "INSERT INTO self_descriptions (user_id, kind, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT (user_id) DO UPDATE SET kind = excluded.kind, "
            "updated_at = excluded.updated_at",
            (user_id, kind, self._clock.epoch()),
        )

    async def self_description(self, user_id: int) -> str | None:
        row = await self._db.fetch_one(
            "SELECT kind FROM self_descriptions WHERE user_id = ?", (user_id,)
        )
        return str(row["kind"]) if row else None

    async def balance(self, chat_id: int) -> dict[str, int]:
        """How the group's present members described themselves, counted (never listed)."""
        rows = await self._db.fetch_all(
            "SELECT d.kind, COUNT(*) AS n FROM self_descriptions d JOIN memberships m "
            "ON m.user_id = d.user_id WHERE m.chat_id = ? "
            "AND m.status IN ('member', 'restricted', 'administrator', 'creator') GROUP BY d.kind",
            (chat_id,),
        )
        return {row["kind"]: int(row["n"]) for row in rows}
