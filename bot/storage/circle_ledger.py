"""My circle's records: the append-only consent ledger, escalations, disclosures, the outbox.

Also the read functions ``/mydata`` uses for data other features keep (memberships, audit
entries about a person), so no SQL lives outside ``bot/storage``.
"""

from __future__ import annotations

import json
from typing import Any

from bot.crypto import FieldCipher
from bot.records.circle import PURPOSES, ConsentEntry, Disclosure, Escalation, OutboxMessage
from bot.storage.database import Database
from bot.timeutil import Clock


class LedgerRepo:
    def __init__(self, db: Database, cipher: FieldCipher, clock: Clock) -> None:
        self._db = db
        self._cipher = cipher
        self._clock = clock

    # -- consent ledger (append-only) ------------------------------------------------------
    def _consent(self, row: Any) -> ConsentEntry:
        return ConsentEntry(
            id=row["id"],
            member_id=row["member_id"],
            person_id=row["person_id"],
            purpose=row["purpose"],
            scope=row["scope"],
            escalation_id=row["escalation_id"],
            event=row["event"],
            expires_at=row["expires_at"],
            wait_minutes=row["wait_minutes"],
            wishes=self._cipher.decrypt_optional(row["wishes"], "circledata.wishes"),
            created_at=row["created_at"],
        )

    async def append(
        self,
        member_id: int,
        person_id: int,
        purpose: str,
        *,
        scope: str,
        event: str,
        escalation_id: int | None = None,
        expires_at: int | None = None,
        wait_minutes: int | None = None,
        wishes: str | None = None,
    ) -> int:
        if purpose not in PURPOSES:
            raise ValueError(purpose)
        return await self._db.execute(
            "INSERT INTO circle_consents (member_id, person_id, purpose, scope, escalation_id, "
            "event, expires_at, wait_minutes, wishes, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                member_id,
                person_id,
                purpose,
                scope,
                escalation_id,
                event,
                expires_at,
                wait_minutes,
                self._cipher.encrypt_optional(wishes, "circledata.wishes"),
                self._clock.epoch(),
            ),
        )

    async def history(self, member_id: int) -> list[ConsentEntry]:
        rows = await self._db.fetch_all(
            "SELECT * FROM circle_consents WHERE member_id = ? ORDER BY id", (member_id,)
        )
        return [self._consent(row) for row in rows]

    async def consent(self, consent_id: int) -> ConsentEntry | None:
        row = await self._db.fetch_one("SELECT * FROM circle_consents WHERE id = ?", (consent_id,))
        return self._consent(row) if row else None

    async def latest(
        self, member_id: int, person_id: int, purpose: str, scope: str, escalation_id: int | None
    ) -> ConsentEntry | None:
        """The newest ledger entry for one purpose, person and scope (and escalation)."""
        row = await self._db.fetch_one(
            "SELECT * FROM circle_consents WHERE member_id = ? AND person_id = ? AND purpose = ? "
            "AND scope = ? AND escalation_id IS ? ORDER BY id DESC LIMIT 1",
            (member_id, person_id, purpose, scope, escalation_id),
        )
        return self._consent(row) if row else None

    # -- escalations -----------------------------------------------------------------------
    def _escalation(self, row: Any) -> Escalation:
        return Escalation(
            id=row["id"],
            member_id=row["member_id"],
            chat_id=row["chat_id"],
            kind=row["kind"],
            admin_id=row["admin_id"],
            admin_name=self._cipher.decrypt_optional(row["admin_name"], "circledata.admin_name"),
            status=row["status"],
            persons=tuple(json.loads(row["persons"])),
            due_at=row["due_at"],
            created_at=row["created_at"],
            answered_at=row["answered_at"],
            chat_chosen=bool(row["chat_chosen"]),
            admin_chosen=bool(row["admin_chosen"]),
            purposes=tuple(
                (int(pid), tuple(str(p) for p in ticked))
                for pid, ticked in sorted(json.loads(row["purposes"] or "{}").items())
            ),
        )

    async def new_escalation(
        self,
        member_id: int,
        kind: str,
        status: str,
        *,
        chat_id: int | None = None,
        admin_id: int | None = None,
        admin_name: str | None = None,
        due_at: int | None = None,
    ) -> int:
        return await self._db.execute(
            "INSERT INTO circle_escalations (member_id, chat_id, kind, admin_id, admin_name, "
            "status, due_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                member_id,
                chat_id,
                kind,
                admin_id,
                self._cipher.encrypt_optional(admin_name, "circledata.admin_name"),
                status,
                due_at,
                self._clock.epoch(),
            ),
        )

    async def escalation(self, escalation_id: int) -> Escalation | None:
        row = await self._db.fetch_one(
            "SELECT * FROM circle_escalations WHERE id = ?", (escalation_id,)
        )
        return self._escalation(row) if row else None

    async def approved_not_begun(self) -> list[Escalation]:
        """Escalations the member sent that were never carried out (the bot stopped between
        the member's send and the reaching: it is finished at start-up)."""
        return await self._in_status("approved")

    async def left_delivering(self) -> list[Escalation]:
        """Escalations the bot stopped while reaching people (``delivering_live``): finished
        at start-up, reaching only those not reached yet."""
        return await self._in_status("delivering_live")

    async def left_in_advance(self) -> list[Escalation]:
        """Concerns going ahead as the member decided in advance that the bot stopped before
        or while reaching people (``advance``, ``delivering_advance``): finished at start-up."""
        return await self._in_status("advance", "delivering_advance")

    async def _in_status(self, *statuses: str) -> list[Escalation]:
        marks = ", ".join("?" for _ in statuses)
        rows = await self._db.fetch_all(
            f"SELECT * FROM circle_escalations WHERE status IN ({marks}) ORDER BY id",  # noqa: S608
            statuses,
        )
        return [self._escalation(row) for row in rows]

    async def escalations(self, member_id: int) -> list[Escalation]:
        rows = await self._db.fetch_all(
            "SELECT * FROM circle_escalations WHERE member_id = ? ORDER BY id", (member_id,)
        )
        return [self._escalation(row) for row in rows]

    async def assign_admin(
        self, escalation_id: int, chat_id: int | None, admin_id: int | None, admin_name: str | None
    ) -> None:
        await self._db.execute(
            "UPDATE circle_escalations SET chat_id = ?, admin_id = ?, admin_name = ? WHERE id = ?",
            (
                chat_id,
                admin_id,
                self._cipher.encrypt_optional(admin_name, "circledata.admin_name"),
                escalation_id,
            ),
        )

    async def choose_chat(self, escalation_id: int, chat_id: int | None) -> None:
        """The member chose which group's administrators (``None``: none chosen)."""
        await self._db.execute(
            "UPDATE circle_escalations SET chat_id = ?, chat_chosen = ?, admin_id = NULL, "
            "admin_name = NULL, admin_chosen = 0 WHERE id = ?",
            (chat_id, int(chat_id is not None), escalation_id),
        )

    async def confirm_chat(self, escalation_id: int) -> None:
        """The member answered a question that named the escalation's group: it is chosen."""
        await self._db.execute(
            "UPDATE circle_escalations SET chat_chosen = 1 WHERE id = ? AND chat_id IS NOT NULL",
            (escalation_id,),
        )

    async def choose_admin(
        self, escalation_id: int, admin_id: int | None, admin_name: str | None
    ) -> None:
        """The member named the administrator themselves (``None``: let the bot choose)."""
        await self._db.execute(
            "UPDATE circle_escalations SET admin_id = ?, admin_name = ?, admin_chosen = ? "
            "WHERE id = ?",
            (
                admin_id,
                self._cipher.encrypt_optional(admin_name, "circledata.admin_name"),
                int(admin_id is not None),
                escalation_id,
            ),
        )

    async def set_purposes(self, escalation_id: int, purposes: dict[int, list[str]]) -> None:
        """Exactly what the member ticked, person by person."""
        clean = {
            str(pid): [p for p in PURPOSES if p in ticked] for pid, ticked in purposes.items()
        }
        await self._db.execute(
            "UPDATE circle_escalations SET purposes = ? WHERE id = ?",
            (json.dumps(clean, sort_keys=True), escalation_id),
        )

    async def open_concerns(self, member_id: int, chat_id: int) -> int:
        """Concerns about this member from this group still waiting for the member."""
        row = await self._db.fetch_one(
            "SELECT COUNT(*) FROM circle_escalations WHERE member_id = ? AND chat_id = ? "
            "AND kind = 'admin' AND status IN ('asking', 'picking')",
            (member_id, chat_id),
        )
        return int(row[0]) if row else 0

    async def concerns_by(self, admin_id: int, since: int) -> int:
        """Concerns this administrator raised since then (for the rate limit)."""
        row = await self._db.fetch_one(
            "SELECT COUNT(*) FROM circle_escalations WHERE admin_id = ? AND kind = 'admin' "
            "AND created_at >= ?",
            (admin_id, since),
        )
        return int(row[0]) if row else 0

    async def set_advance_groups(self, member_id: int, chat_ids: list[int]) -> None:
        """The groups an advance decision holds for (replacing an earlier decision's)."""
        async with self._db.transaction():
            await self._db.execute(
                "DELETE FROM circle_advance_groups WHERE member_id = ?", (member_id,)
            )
            for chat_id in chat_ids:
                await self._db.execute(
                    "INSERT INTO circle_advance_groups (member_id, chat_id, created_at) "
                    "VALUES (?, ?, ?)",
                    (member_id, chat_id, self._clock.epoch()),
                )

    async def advance_groups(self, member_id: int) -> list[int]:
        rows = await self._db.fetch_all(
            "SELECT chat_id FROM circle_advance_groups WHERE member_id = ? ORDER BY chat_id",
            (member_id,),
        )
        return [int(row["chat_id"]) for row in rows]

    # -- what the gate refused (reason codes only) -------------------------------------------
    async def record_refusal(
        self,
        *,
        member_id: int,
        escalation_id: int | None,
        chat_id: int | None,
        recipient_id: int | None,
        purpose: str,
        reason: str,
    ) -> int:
        return await self._db.execute(
            "INSERT INTO circle_refusals (member_id, escalation_id, chat_id, recipient_id, "
            "purpose, reason, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                member_id,
                escalation_id,
                chat_id,
                recipient_id,
                purpose,
                reason,
                self._clock.epoch(),
            ),
        )

    async def refusals(self, member_id: int) -> list[dict[str, Any]]:
        rows = await self._db.fetch_all(
            "SELECT escalation_id, chat_id, recipient_id, purpose, reason, created_at "
            "FROM circle_refusals WHERE member_id = ? ORDER BY id",
            (member_id,),
        )
        return [dict(row) for row in rows]

    # -- on duty, and the fair rotation of phone cards ---------------------------------------
    async def set_duty(self, chat_id: int, user_id: int, on: bool) -> None:
        if on:
            await self._db.execute(
                "INSERT OR IGNORE INTO circle_duty (chat_id, user_id, since) VALUES (?, ?, ?)",
                (chat_id, user_id, self._clock.epoch()),
            )
        else:
            await self._db.execute(
                "DELETE FROM circle_duty WHERE chat_id = ? AND user_id = ?", (chat_id, user_id)
            )

    async def on_duty(self, chat_id: int) -> set[int]:
        rows = await self._db.fetch_all(
            "SELECT user_id FROM circle_duty WHERE chat_id = ?", (chat_id,)
        )
        return {int(row["user_id"]) for row in rows}

    async def last_cards(self, chat_id: int) -> dict[int, int]:
        """When each administrator of the group was last handed a phone card."""
        rows = await self._db.fetch_all(
            "SELECT admin_id, last_at FROM circle_cards WHERE chat_id = ?", (chat_id,)
        )
        return {int(row["admin_id"]): int(row["last_at"]) for row in rows}

    async def card_given(self, chat_id: int, admin_id: int) -> None:
        # a counter, not the clock alone: two cards in the same second still rotate
        await self._db.execute(
            "INSERT INTO circle_cards (chat_id, admin_id, last_at) VALUES (?, ?, "
            "(SELECT COALESCE(MAX(last_at), 0) + 1 FROM circle_cards WHERE chat_id = ?)) "
            "ON CONFLICT (chat_id, admin_id) DO UPDATE SET last_at = excluded.last_at",
            (chat_id, admin_id, chat_id),
        )

    async def set_persons(self, escalation_id: int, persons: list[int]) -> None:
        await self._db.execute(
            "UPDATE circle_escalations SET persons = ? WHERE id = ?",
            (json.dumps(sorted(set(persons))), escalation_id),
        )

    async def move(self, escalation_id: int, expected: tuple[str, ...], status: str) -> bool:
        """Change the status only from an expected one: a second press or a race does nothing."""
        marks = ", ".join("?" for _ in expected)
        changed = await self._db.execute(
            f"UPDATE circle_escalations SET status = ?, answered_at = ? "  # noqa: S608
            f"WHERE id = ? AND status IN ({marks})",
            (status, self._clock.epoch(), escalation_id, *expected),
        )
        return changed > 0

    # -- disclosures -----------------------------------------------------------------------
    async def record_disclosure(
        self,
        *,
        member_id: int,
        person_id: int | None,
        person_label: str | None,
        recipient_kind: str,
        recipient_id: int,
        recipient_name: str | None,
        what: str,
        consent_id: int,
        consent_at: int,
        escalation_id: int | None,
        status: str = "pending",
    ) -> int:
        """A disclosure about to be carried: ``pending`` until Telegram accepts its message."""
        return await self._db.execute(
            "INSERT INTO circle_disclosures (member_id, person_id, person_label, recipient_kind, "
            "recipient_id, recipient_name, what, consent_id, consent_at, escalation_id, "
            "created_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                member_id,
                person_id,
                self._cipher.encrypt_optional(person_label, "circledata.person_label"),
                recipient_kind,
                recipient_id,
                self._cipher.encrypt_optional(recipient_name, "circledata.recipient_name"),
                what,
                consent_id,
                consent_at,
                escalation_id,
                self._clock.epoch(),
                status,
            ),
        )

    async def settle_disclosures(self, ids: list[int], status: str) -> None:
        """The carrying message was accepted (``seen``) or can never be (``undelivered``)."""
        for disclosure_id in ids:
            await self._db.execute(
                "UPDATE circle_disclosures SET status = ?, created_at = ? "
                "WHERE id = ? AND status = 'pending'",
                (status, self._clock.epoch(), disclosure_id),
            )

    async def disclosures(self, member_id: int) -> list[Disclosure]:
        rows = await self._db.fetch_all(
            "SELECT * FROM circle_disclosures WHERE member_id = ? ORDER BY id", (member_id,)
        )
        return [
            Disclosure(
                id=row["id"],
                member_id=row["member_id"],
                person_id=row["person_id"],
                person_label=self._cipher.decrypt_optional(
                    row["person_label"], "circledata.person_label"
                ),
                recipient_kind=row["recipient_kind"],
                recipient_id=row["recipient_id"],
                recipient_name=self._cipher.decrypt_optional(
                    row["recipient_name"], "circledata.recipient_name"
                ),
                what=row["what"],
                consent_id=row["consent_id"],
                consent_at=row["consent_at"],
                escalation_id=row["escalation_id"],
                created_at=row["created_at"],
                status=row["status"],
            )
            for row in rows
        ]

    # -- outbox ----------------------------------------------------------------------------
    def _outbox(self, row: Any) -> OutboxMessage:
        return OutboxMessage(
            id=row["id"],
            chat_id=row["chat_id"],
            body=self._cipher.decrypt(row["body"], "circledata.outbox"),
            markup=json.loads(row["markup"]) if row["markup"] else None,
            kind=row["kind"],
            member_id=row["member_id"],
            fail_chat=row["fail_chat"],
            fail_body=self._cipher.decrypt_optional(row["fail_body"], "circledata.outbox_fail"),
            status=row["status"],
            attempts=row["attempts"],
            claimed_at=row["claimed_at"],
        )

    async def enqueue(
        self,
        chat_id: int,
        body: str,
        *,
        kind: str,
        markup: dict[str, Any] | None = None,
        member_id: int | None = None,
        fail_chat: int | None = None,
        fail_body: str | None = None,
        disclosures: list[int] | None = None,
    ) -> int:
        return await self._db.execute(
            "INSERT INTO circle_outbox (chat_id, body, markup, kind, member_id, fail_chat, "
            "fail_body, created_at, disclosures) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                chat_id,
                self._cipher.encrypt(body, "circledata.outbox"),
                json.dumps(markup) if markup else None,
                kind,
                member_id,
                fail_chat,
                self._cipher.encrypt_optional(fail_body, "circledata.outbox_fail"),
                self._clock.epoch(),
                json.dumps(disclosures) if disclosures else None,
            ),
        )

    async def carried(self, message_id: int) -> tuple[int | None, list[int]]:
        """The member an outbox message is about, and the disclosures it carries."""
        row = await self._db.fetch_one(
            "SELECT member_id, disclosures FROM circle_outbox WHERE id = ?", (message_id,)
        )
        if row is None or not row["disclosures"]:
            return None, []
        return row["member_id"], [int(i) for i in json.loads(row["disclosures"])]

    async def outbox_waiting(self) -> tuple[int, int | None]:
        """Messages still waiting in the outbox, and when the oldest was written (a gauge)."""
        row = await self._db.fetch_one(
            "SELECT COUNT(*), MIN(created_at) FROM circle_outbox "
            "WHERE status IN ('pending', 'sending')"
        )
        return (int(row[0]), row[1]) if row else (0, None)

    async def outbox(self, message_id: int) -> OutboxMessage | None:
        row = await self._db.fetch_one("SELECT * FROM circle_outbox WHERE id = ?", (message_id,))
        return self._outbox(row) if row else None

    async def outbox_all(self) -> list[OutboxMessage]:
        rows = await self._db.fetch_all("SELECT * FROM circle_outbox ORDER BY id")
        return [self._outbox(row) for row in rows]

    async def claim(self, message_id: int, lease_seconds: int) -> bool:
        """Take a message for sending; a message another attempt holds (recently) is left."""
        now = self._clock.epoch()
        changed = await self._db.execute(
            "UPDATE circle_outbox SET status = 'sending', claimed_at = ?, "
            "attempts = attempts + 1 WHERE id = ? AND (status = 'pending' OR "
            "(status = 'sending' AND claimed_at < ?))",
            (now, message_id, now - lease_seconds),
        )
        return changed > 0

    async def settle(self, message_id: int, status: str) -> None:
        """Record the outcome. Once sent or given up on, the text itself is not kept; the
        disclosures the message carries become ``seen`` (sent) or ``undelivered`` (failed)."""
        if status in ("sent", "failed"):
            row = await self._db.fetch_one(
                "SELECT disclosures FROM circle_outbox WHERE id = ?", (message_id,)
            )
            if row is not None and row["disclosures"]:
                await self.settle_disclosures(
                    [int(i) for i in json.loads(row["disclosures"])],
                    "seen" if status == "sent" else "undelivered",
                )
            await self._db.execute(
                "UPDATE circle_outbox SET status = ?, sent_at = ?, body = ?, fail_body = NULL "
                "WHERE id = ?",
                (
                    status,
                    self._clock.epoch() if status == "sent" else None,
                    self._cipher.encrypt("", "circledata.outbox"),
                    message_id,
                ),
            )
            return
        await self._db.execute(
            "UPDATE circle_outbox SET status = ? WHERE id = ?", (status, message_id)
        )

    # -- retention ----------------------------------------------------------------------
    async def purge(self, before: int) -> int:
        """Answered escalations, delivered messages and dead invites, once no longer needed.

        The consent ledger and the disclosure records stay: they are the member's own record
        of what they agreed to and who saw what (erased only by /forgetme).
        """
        removed = await self._db.execute(
            "DELETE FROM circle_escalations WHERE status IN "
            "('done', 'followed_up', 'declined', 'talk', 'no_answer', 'cancelled') "
            "AND created_at < ? "
            "OR (kind = 'member' AND status = 'picking' AND created_at < ?)",
            (before, before),
        )
        removed += await self._db.execute(
            "DELETE FROM circle_outbox WHERE status IN ('sent', 'failed') AND created_at < ?",
            (before,),
        )
        removed += await self._db.execute(
            "DELETE FROM circle_invites WHERE expires_at < ? OR "
            "(status IN ('accepted', 'declined', 'revoked') AND created_at < ?)",
            (before, before),
        )
        return removed

    # -- other features' data, read for /mydata ---------------------------------------------
    async def memberships(self, user_id: int) -> list[dict[str, Any]]:
        rows = await self._db.fetch_all(
            "SELECT m.chat_id, m.status, m.updated_at, g.title FROM memberships m "
            "LEFT JOIN groups g ON g.chat_id = m.chat_id WHERE m.user_id = ? ORDER BY m.chat_id",
            (user_id,),
        )
        return [
            {
                "group_id": row["chat_id"],
                "group": row["title"],
                "status": row["status"],
                "updated_at": row["updated_at"],
            }
            for row in rows
        ]

    async def audit_about(self, user_id: int) -> list[dict[str, Any]]:
        rows = await self._db.fetch_all(
            "SELECT id, chat_id, action, created_at, detail FROM audit_log WHERE target_id = ? "
            "ORDER BY id",
            (user_id,),
        )
        return [
            {
                "group_id": row["chat_id"],
                "action": row["action"],
                "reason": self._cipher.decrypt_optional(row["detail"], "audit.detail"),
                "at": row["created_at"],
            }
            for row in rows
        ]

    async def user_record(self, user_id: int) -> dict[str, Any] | None:
        row = await self._db.fetch_one(
            "SELECT language, telegram_language, started_at, created_at FROM users "
            "WHERE user_id = ?",
            (user_id,),
        )
        return dict(row) if row else None

    async def erase_user_record(self, user_id: int) -> None:
        await self._db.execute("UPDATE users SET language = NULL WHERE user_id = ?", (user_id,))
