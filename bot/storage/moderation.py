"""Moderation records: warnings, mutes and exclusions, the blocklist, reports, appeals.

Reasons are encrypted at rest; reporters are kept only as keyed one-way digests; no group
message text is ever stored.
"""

from __future__ import annotations

from typing import Any

from bot.crypto import FieldCipher
from bot.records.moderation import Appeal, Copy, Report, Sanction, WarningRecord
from bot.storage.database import Database
from bot.timeutil import Clock

_REASON = "mod.reason"
_WARN_REASON = "mod.warn_reason"
_BLOCK_REASON = "mod.block_reason"
_REPORTER = "mod.reporter"


class ModerationRepo:
    def __init__(self, db: Database, cipher: FieldCipher, clock: Clock) -> None:
        self._db = db
        self._cipher = cipher
        self._clock = clock

    # -- warnings ---------------------------------------------------------------------------

    async def add_warning(
        self, chat_id: int, user_id: int, actor_id: int | None, reason: str | None
    ) -> int:
        """Record a warning; returns the member's warning count in this group."""
        await self._db.execute(
            "INSERT INTO mod_warnings (chat_id, user_id, actor_id, reason, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (
                chat_id,
                user_id,
                actor_id,
                self._cipher.encrypt_optional(reason, _WARN_REASON),
                self._clock.epoch(),
            ),
        )
        return await self.warning_count(chat_id, user_id)

    async def warning_count(self, chat_id: int, user_id: int) -> int:
        row = await self._db.fetch_one(
            "SELECT COUNT(*) FROM mod_warnings WHERE chat_id = ? AND user_id = ?",
            (chat_id, user_id),
        )
        return int(row[0]) if row else 0

    async def warnings(self, chat_id: int, user_id: int) -> list[WarningRecord]:
        rows = await self._db.fetch_all(
            "SELECT * FROM mod_warnings WHERE chat_id = ? AND user_id = ? ORDER BY id",
            (chat_id, user_id),
        )
        return [
            WarningRecord(
                id=r["id"],
                chat_id=r["chat_id"],
                user_id=r["user_id"],
                actor_id=r["actor_id"],
                reason=self._cipher.decrypt_optional(r["reason"], _WARN_REASON),
                created_at=r["created_at"],
            )
            for r in rows
        ]

    # -- mutes and exclusions ---------------------------------------------------------------

    def _sanction(self, row: Any) -> Sanction:
        return Sanction(
            id=row["id"],
            chat_id=row["chat_id"],
            user_id=row["user_id"],
            kind=row["kind"],
            actor_id=row["actor_id"],
            contact_id=row["contact_id"],
            reason=self._cipher.decrypt_optional(row["reason"], _REASON),
            starts_at=row["starts_at"],
            ends_at=row["ends_at"],
            status=row["status"],
            checkins=bool(row["checkins"]),
            reached=bool(row["reached"]),
        )

    async def start_sanction(
        self,
        chat_id: int,
        user_id: int,
        kind: str,
        *,
        actor_id: int | None,
        contact_id: int | None,
        reason: str | None,
        ends_at: int,
    ) -> Sanction:
        """Begin a mute or exclusion; an earlier active one of the same kind is replaced."""
        now = self._clock.epoch()
        async with self._db.transaction():
            await self._db.execute(
                "UPDATE mod_sanctions SET status = 'lifted', finished_at = ? "
                "WHERE chat_id = ? AND user_id = ? AND kind = ? AND status = 'active'",
                (now, chat_id, user_id, kind),
            )
            sanction_id = await self._db.execute(
                "INSERT INTO mod_sanctions (chat_id, user_id, kind, actor_id, contact_id, reason, "
                "starts_at, ends_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    chat_id,
                    user_id,
                    kind,
                    actor_id,
                    contact_id,
                    self._cipher.encrypt_optional(reason, _REASON),
                    now,
                    ends_at,
                ),
            )
        found = await self.sanction(sanction_id)
        assert found is not None  # noqa: S101 - just written
        return found

    async def sanction(self, sanction_id: int) -> Sanction | None:
        row = await self._db.fetch_one("SELECT * FROM mod_sanctions WHERE id = ?", (sanction_id,))
        return self._sanction(row) if row else None

    async def active_sanction(self, chat_id: int, user_id: int, kind: str) -> Sanction | None:
        """The measure in force now: a mute whose time has run out (Telegram lifts it by
        itself, no job closes it) is not in force any more."""
        row = await self._db.fetch_one(
            "SELECT * FROM mod_sanctions WHERE chat_id = ? AND user_id = ? AND kind = ? "
            "AND status = 'active' AND (ends_at IS NULL OR ends_at > ?) "
            "ORDER BY id DESC LIMIT 1",
            (chat_id, user_id, kind, self._clock.epoch()),
        )
        return self._sanction(row) if row else None

    async def finish_sanction(self, sanction_id: int, status: str) -> bool:
        """End an active sanction ('ended' or 'lifted'); False if it was no longer active."""
        changed = await self._db.execute(
            "UPDATE mod_sanctions SET status = ?, finished_at = ? "
            "WHERE id = ? AND status = 'active'",
            (status, self._clock.epoch(), sanction_id),
        )
        return changed > 0

    async def stop_checkins(self, sanction_id: int) -> None:
        await self._db.execute(
            "UPDATE mod_sanctions SET checkins = 0 WHERE id = ?", (sanction_id,)
        )

    async def mark_reached(self, sanction_id: int) -> None:
        await self._db.execute("UPDATE mod_sanctions SET reached = 1 WHERE id = ?", (sanction_id,))

    async def unreached_exclusions(self, user_id: int | None = None) -> list[Sanction]:
        """Exclusions in force whose member never got the support message (they had not
        opened a private chat with the bot): one person's, or everyone's."""
        if user_id is None:
            rows = await self._db.fetch_all(
                "SELECT * FROM mod_sanctions WHERE kind = 'exclude' AND status = 'active' "
                "AND reached = 0 ORDER BY id"
            )
        else:
            rows = await self._db.fetch_all(
                "SELECT * FROM mod_sanctions WHERE kind = 'exclude' AND status = 'active' "
                "AND reached = 0 AND user_id = ? ORDER BY id",
                (user_id,),
            )
        return [self._sanction(r) for r in rows]

    async def recent_sanctions(self, user_id: int, since: int) -> list[Sanction]:
        rows = await self._db.fetch_all(
            "SELECT * FROM mod_sanctions WHERE user_id = ? AND (status = 'active' OR "
            "starts_at >= ?) ORDER BY id DESC",
            (user_id, since),
        )
        return [self._sanction(r) for r in rows]

    async def recently_warned_groups(self, user_id: int, since: int) -> list[int]:
        rows = await self._db.fetch_all(
            "SELECT chat_id, MAX(created_at) AS last FROM mod_warnings "
            "WHERE user_id = ? AND created_at >= ? GROUP BY chat_id ORDER BY last DESC",
            (user_id, since),
        )
        return [int(r["chat_id"]) for r in rows]

    async def excluded_from(self, user_id: int) -> list[int]:
        """Groups the person is temporarily excluded from right now. They stay members for
        support purposes (/talk, their circle) while they are out."""
        rows = await self._db.fetch_all(
            "SELECT DISTINCT chat_id FROM mod_sanctions WHERE user_id = ? AND kind = 'exclude' "
            "AND status = 'active' ORDER BY chat_id",
            (user_id,),
        )
        return [int(r["chat_id"]) for r in rows]

    async def was_readmitted(self, chat_id: int, user_id: int) -> bool:
        """The member came back after a temporary exclusion (the rules gate need not ask)."""
        row = await self._db.fetch_one(
            "SELECT 1 FROM mod_sanctions WHERE chat_id = ? AND user_id = ? AND kind = 'exclude' "
            "AND status IN ('ended', 'lifted') LIMIT 1",
            (chat_id, user_id),
        )
        return row is not None

    # -- blocklist --------------------------------------------------------------------------

    async def block(
        self, user_id: int, *, origin_chat_id: int, actor_id: int | None, reason: str | None
    ) -> bool:
        """Add to the deployment-wide blocklist; False if they were already on it."""
        added = await self._db.changed(
            "INSERT OR IGNORE INTO mod_blocklist (user_id, origin_chat_id, actor_id, reason, "
            "created_at) VALUES (?, ?, ?, ?, ?)",
            (
                user_id,
                origin_chat_id,
                actor_id,
                self._cipher.encrypt_optional(reason, _BLOCK_REASON),
                self._clock.epoch(),
            ),
        )
        return added > 0

    async def unblock(self, user_id: int) -> bool:
        return (
            await self._db.execute("DELETE FROM mod_blocklist WHERE user_id = ?", (user_id,)) > 0
        )

    async def is_blocked(self, user_id: int) -> bool:
        row = await self._db.fetch_one("SELECT 1 FROM mod_blocklist WHERE user_id = ?", (user_id,))
        return row is not None

    async def blocked_ids(self) -> set[int]:
        rows = await self._db.fetch_all("SELECT user_id FROM mod_blocklist")
        return {int(r["user_id"]) for r in rows}

    # -- reports and flags ------------------------------------------------------------------

    def reporter_digest(self, user_id: int) -> str:
        return self._cipher.digest(str(user_id), _REPORTER)

    async def reports_by_since(self, reporter: str, since: int) -> int:
        row = await self._db.fetch_one(
            "SELECT COUNT(*) FROM mod_report_reporters WHERE reporter = ? AND created_at >= ?",
            (reporter, since),
        )
        return int(row[0]) if row else 0

    async def open_report(
        self,
        chat_id: int,
        message_id: int,
        target_id: int | None,
        kind: str,
        *,
        features: str | None = None,
    ) -> tuple[Report, bool]:
        """The report about this message (created if new); True if it was created now.
        ``features``: a flag's hashed features (numbers only), kept until an admin answers."""
        created = await self._db.changed(
            "INSERT OR IGNORE INTO mod_reports "
            "(chat_id, message_id, target_id, kind, created_at, features) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (chat_id, message_id, target_id, kind, self._clock.epoch(), features),
        )
        row = await self._db.fetch_one(
            "SELECT * FROM mod_reports WHERE chat_id = ? AND message_id = ? AND kind = ?",
            (chat_id, message_id, kind),
        )
        assert row is not None  # noqa: S101 - just written
        return _report(row), created > 0

    async def has_open_flag(self, chat_id: int, target_id: int, since: int) -> bool:
        """An unhandled flag about this sender raised since ``since`` (spares admins a flood)."""
        row = await self._db.fetch_one(
            "SELECT 1 FROM mod_reports WHERE chat_id = ? AND target_id = ? AND kind = 'flag' "
            "AND status = 'open' AND created_at >= ? LIMIT 1",
            (chat_id, target_id, since),
        )
        return row is not None

    async def add_reporter(self, report_id: int, reporter: str) -> bool:
        """Count one member's report of a message once; False if they had already reported it."""
        async with self._db.transaction():
            added = await self._db.changed(
                "INSERT OR IGNORE INTO mod_report_reporters (report_id, reporter, created_at) "
                "VALUES (?, ?, ?)",
                (report_id, reporter, self._clock.epoch()),
            )
            if added:
                await self._db.execute(
                    "UPDATE mod_reports SET reports = reports + 1 WHERE id = ?", (report_id,)
                )
        return added > 0

    async def report(self, report_id: int) -> Report | None:
        row = await self._db.fetch_one("SELECT * FROM mod_reports WHERE id = ?", (report_id,))
        return _report(row) if row else None

    async def handle_report(self, report_id: int, outcome: str, handled_by: int | None) -> bool:
        """Mark a report handled; only the first admin to act wins (False for the others)."""
        changed = await self._db.execute(
            "UPDATE mod_reports SET status = 'handled', outcome = ?, handled_by = ?, "
            "handled_at = ? WHERE id = ? AND status = 'open'",
            (outcome, handled_by, self._clock.epoch(), report_id),
        )
        return changed > 0

    async def take_features(self, report_id: int) -> str | None:
        """A flag's hashed features, once: they are cleared as they are read."""
        async with self._db.transaction():
            row = await self._db.fetch_one(
                "SELECT features FROM mod_reports WHERE id = ?", (report_id,)
            )
            if row is None or row["features"] is None:
                return None
            await self._db.execute(
                "UPDATE mod_reports SET features = NULL WHERE id = ?", (report_id,)
            )
        return str(row["features"])

    async def purge_features(self, before: int) -> int:
        """Flags raised before ``before`` and never answered no longer wait to teach: their
        hashed features go (retention)."""
        return await self._db.execute(
            "UPDATE mod_reports SET features = NULL WHERE features IS NOT NULL AND created_at < ?",
            (before,),
        )

    async def reopen_report(self, report_id: int) -> None:
        await self._db.execute(
            "UPDATE mod_reports SET status = 'open', outcome = NULL, handled_by = NULL, "
            "handled_at = NULL WHERE id = ?",
            (report_id,),
        )

    # -- admins' copies ---------------------------------------------------------------------

    async def add_copy(self, item: str, item_id: int, chat_id: int, message_id: int) -> None:
        await self._db.execute(
            "INSERT OR IGNORE INTO mod_copies (item, item_id, chat_id, message_id) "
            "VALUES (?, ?, ?, ?)",
            (item, item_id, chat_id, message_id),
        )

    async def copies(self, item: str, item_id: int) -> list[Copy]:
        rows = await self._db.fetch_all(
            "SELECT chat_id, message_id FROM mod_copies WHERE item = ? AND item_id = ?",
            (item, item_id),
        )
        return [Copy(chat_id=r["chat_id"], message_id=r["message_id"]) for r in rows]

    # -- admin team chat --------------------------------------------------------------------

    async def add_link_code(self, code: str, admin_chat_id: int) -> None:
        await self._db.execute(
            "DELETE FROM mod_link_codes WHERE admin_chat_id = ?", (admin_chat_id,)
        )
        await self._db.execute(
            "INSERT INTO mod_link_codes (code, admin_chat_id, created_at) VALUES (?, ?, ?)",
            (code, admin_chat_id, self._clock.epoch()),
        )

    async def take_link_code(self, code: str, max_age: int) -> int | None:
        """The admin chat waiting on this code (single use, expires after ``max_age``)."""
        row = await self._db.fetch_one(
            "SELECT admin_chat_id, created_at FROM mod_link_codes WHERE code = ?", (code,)
        )
        if row is None:
            return None
        await self._db.execute("DELETE FROM mod_link_codes WHERE code = ?", (code,))
        if self._clock.epoch() - int(row["created_at"]) > max_age:
            return None
        return int(row["admin_chat_id"])

    # -- appeals ----------------------------------------------------------------------------

    async def add_appeal(
        self,
        chat_id: int,
        user_id: int,
        actor_id: int | None = None,
        measure: str | None = None,
    ) -> Appeal:
        appeal_id = await self._db.execute(
            "INSERT INTO mod_appeals (chat_id, user_id, actor_id, measure, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (chat_id, user_id, actor_id, measure, self._clock.epoch()),
        )
        found = await self.appeal(appeal_id)
        assert found is not None  # noqa: S101 - just written
        return found

    async def appeal(self, appeal_id: int) -> Appeal | None:
        row = await self._db.fetch_one("SELECT * FROM mod_appeals WHERE id = ?", (appeal_id,))
        if row is None:
            return None
        return Appeal(
            id=row["id"],
            chat_id=row["chat_id"],
            user_id=row["user_id"],
            status=row["status"],
            handled_by=row["handled_by"],
            created_at=row["created_at"],
            actor_id=row["actor_id"],
            routed=bool(row["routed"]),
            measure=row["measure"],
        )

    async def mark_appeal_routed(self, appeal_id: int) -> None:
        """The appeal reached administrators other than the one who acted."""
        await self._db.execute("UPDATE mod_appeals SET routed = 1 WHERE id = ?", (appeal_id,))

    async def last_warning_actor(self, chat_id: int, user_id: int) -> int | None:
        """Who gave the member's latest warning in the group."""
        row = await self._db.fetch_one(
            "SELECT actor_id FROM mod_warnings WHERE chat_id = ? AND user_id = ? "
            "ORDER BY created_at DESC, id DESC LIMIT 1",
            (chat_id, user_id),
        )
        return None if row is None or row["actor_id"] is None else int(row["actor_id"])

    async def appeals_since(self, user_id: int, since: int) -> int:
        row = await self._db.fetch_one(
            "SELECT COUNT(*) FROM mod_appeals WHERE user_id = ? AND created_at >= ?",
            (user_id, since),
        )
        return int(row[0]) if row else 0

    async def decide_appeal(self, appeal_id: int, status: str, handled_by: int | None) -> bool:
        changed = await self._db.execute(
            "UPDATE mod_appeals SET status = ?, handled_by = ?, handled_at = ? "
            "WHERE id = ? AND status = 'open'",
            (status, handled_by, self._clock.epoch(), appeal_id),
        )
        return changed > 0

    # -- a person's own data (/mydata, /forgetme) ---------------------------------------------

    async def export_person(self, user_id: int) -> dict[str, Any]:
        """What moderation keeps about a person (never anything they said in a group)."""
        warnings = await self._db.fetch_all(
            "SELECT chat_id, reason, created_at FROM mod_warnings WHERE user_id = ? ORDER BY id",
            (user_id,),
        )
        sanctions = await self._db.fetch_all(
            "SELECT chat_id, kind, reason, starts_at, ends_at, status, checkins "
            "FROM mod_sanctions WHERE user_id = ? ORDER BY id",
            (user_id,),
        )
        appeals = await self._db.fetch_all(
            "SELECT chat_id, status, created_at FROM mod_appeals WHERE user_id = ? ORDER BY id",
            (user_id,),
        )
        reports = await self._db.fetch_one(
            "SELECT COUNT(*) FROM mod_report_reporters WHERE reporter = ?",
            (self.reporter_digest(user_id),),
        )
        return {
            "warnings": [
                {
                    "chat_id": r["chat_id"],
                    "reason": self._cipher.decrypt_optional(r["reason"], _WARN_REASON),
                    "at": r["created_at"],
                }
                for r in warnings
            ],
            "measures": [
                {
                    "chat_id": r["chat_id"],
                    "kind": r["kind"],
                    "reason": self._cipher.decrypt_optional(r["reason"], _REASON),
                    "from": r["starts_at"],
                    "until": r["ends_at"],
                    "status": r["status"],
                    "check_ins": bool(r["checkins"]),
                }
                for r in sanctions
            ],
            "appeals": [dict(r) for r in appeals],
            "reports_sent": int(reports[0]) if reports else 0,
            "on_blocklist": await self.is_blocked(user_id),
        }

    async def forget_person(self, user_id: int) -> None:
        """Erase warnings, appeals, ended measures and sent reports; active measures and the
        blocklist stay (they keep a group safe and end by themselves or by an admin)."""
        async with self._db.transaction():
            await self._db.execute("DELETE FROM mod_warnings WHERE user_id = ?", (user_id,))
            await self._db.execute("DELETE FROM mod_appeals WHERE user_id = ?", (user_id,))
            # A mute ends by itself on Telegram: past its end it is over, whatever its status.
            await self._db.execute(
                "DELETE FROM mod_sanctions WHERE user_id = ? "
                "AND (status != 'active' OR (kind = 'mute' AND ends_at <= ?))",
                (user_id, self._clock.epoch()),
            )
            await self._db.execute(
                "DELETE FROM mod_report_reporters WHERE reporter = ?",
                (self.reporter_digest(user_id),),
            )
            # The hashed features of their flagged messages, waiting for an answer, go too.
            await self._db.execute(
                "UPDATE mod_reports SET features = NULL WHERE target_id = ?", (user_id,)
            )

    # -- retention ---------------------------------------------------------------------------

    async def purge(self, before: int) -> int:
        """Forget moderation records no longer needed that ended before ``before``: measures
        over (a mute past its end is over, whatever its status), warnings, handled reports and
        flags (with their reporters' digests and the admins' copies), answered appeals, unused
        link codes. Measures in force and the blocklist stay."""
        removed = 0
        async with self._db.transaction():
            for sql, values in (
                (
                    "DELETE FROM mod_sanctions WHERE "
                    "(status != 'active' AND COALESCE(finished_at, ends_at) < ?) "
                    "OR (kind = 'mute' AND ends_at < ?)",
                    (before, before),
                ),
                ("DELETE FROM mod_warnings WHERE created_at < ?", (before,)),
                (
                    "DELETE FROM mod_reports WHERE status = 'handled' AND handled_at < ?",
                    (before,),
                ),
                ("DELETE FROM mod_report_reporters WHERE created_at < ?", (before,)),
                (
                    "DELETE FROM mod_appeals WHERE status != 'open' AND handled_at < ?",
                    (before,),
                ),
                ("DELETE FROM mod_link_codes WHERE created_at < ?", (before,)),
                (
                    "DELETE FROM mod_copies WHERE (item = 'report' AND item_id NOT IN "
                    "(SELECT id FROM mod_reports)) OR (item = 'appeal' AND item_id NOT IN "
                    "(SELECT id FROM mod_appeals))",
                    (),
                ),
            ):
                removed += await self._db.execute(sql, values)
        return removed


def _report(row: Any) -> Report:
    return Report(
        id=row["id"],
        chat_id=row["chat_id"],
        message_id=row["message_id"],
        target_id=row["target_id"],
        kind=row["kind"],
        status=row["status"],
        outcome=row["outcome"],
        handled_by=row["handled_by"],
        reports=row["reports"],
        created_at=row["created_at"],
    )
