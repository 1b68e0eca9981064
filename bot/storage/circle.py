"""My circle's storage: support persons, the never-contact list, invites, help text, drafts.

Every name, relationship, number, note, help text and Telegram identity is encrypted with the
field cipher, bound to its column. Decrypted values leave this module only as frozen dataclasses;
showing them to anyone but the member is decided by ``bot.circle.disclosure`` alone.
"""

from __future__ import annotations

import json
from typing import Any

from bot.crypto import FieldCipher
from bot.records.circle import (
    PERSON_FIELDS,
    Confirmation,
    Draft,
    Invite,
    NeverContact,
    Profile,
    SupportPerson,
)
from bot.storage.database import Database
from bot.timeutil import Clock


def _norm(name: str) -> str:
    return " ".join(name.casefold().split())


class CircleRepo:
    def __init__(self, db: Database, cipher: FieldCipher, clock: Clock) -> None:
        self._db = db
        self._cipher = cipher
        self._clock = clock

    # -- helpers ---------------------------------------------------------------------------
    def _enc(self, value: str | None, column: str) -> bytes | None:
        return self._cipher.encrypt_optional(value, f"circledata.{column}")

    def _dec(self, value: bytes | None, column: str) -> str | None:
        return self._cipher.decrypt_optional(value, f"circledata.{column}")

    def name_digest(self, name: str) -> str:
        return self._cipher.digest(_norm(name), "circledata.name")

    def tg_digest(self, user_id: int) -> str:
        return self._cipher.digest(str(user_id), "circledata.tg")

    def _person(self, row: Any) -> SupportPerson:
        tg = self._dec(row["tg_user"], "tg_user")
        phone = self._dec(row["phone"], "phone")
        return SupportPerson(
            id=row["id"],
            member_id=row["member_id"],
            name=self._dec(row["name"], "name") or "",
            relationship=self._dec(row["relationship"], "relationship"),
            phone=phone,
            notes=self._dec(row["notes"], "notes"),
            asked=bool(row["asked"]),
            tg_user_id=int(tg) if tg else None,
            tg_status=row["tg_status"],
            created_at=row["created_at"],
            has_phone=bool(phone),
        )

    # -- support persons -------------------------------------------------------------------
    async def persons(self, member_id: int) -> list[SupportPerson]:
        rows = await self._db.fetch_all(
            "SELECT * FROM circle_persons WHERE member_id = ? ORDER BY id", (member_id,)
        )
        return [self._person(row) for row in rows]

    async def person(self, person_id: int) -> SupportPerson | None:
        row = await self._db.fetch_one("SELECT * FROM circle_persons WHERE id = ?", (person_id,))
        return self._person(row) if row else None

    async def add_person(
        self,
        member_id: int,
        name: str,
        *,
        relationship: str | None = None,
        phone: str | None = None,
        notes: str | None = None,
        asked: bool = False,
    ) -> int:
        now = self._clock.epoch()
        return await self._db.execute(
            "INSERT INTO circle_persons (member_id, name, name_digest, relationship, phone, "
            "notes, asked, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                member_id,
                self._enc(name, "name"),
                self.name_digest(name),
                self._enc(relationship, "relationship"),
                self._enc(phone, "phone"),
                self._enc(notes, "notes"),
                int(asked),
                now,
                now,
            ),
        )

    async def update_field(self, person_id: int, field: str, value: str | None) -> None:
        if field not in PERSON_FIELDS:
            raise ValueError(field)
        if field == "name":
            if not value:
                raise ValueError("a name is required")
            await self._db.execute(
                "UPDATE circle_persons SET name = ?, name_digest = ?, updated_at = ? WHERE id = ?",
                (
                    self._enc(value, "name"),
                    self.name_digest(value),
                    self._clock.epoch(),
                    person_id,
                ),
            )
            return
        await self._db.execute(
            f"UPDATE circle_persons SET {field} = ?, updated_at = ? WHERE id = ?",  # noqa: S608
            (self._enc(value, field), self._clock.epoch(), person_id),
        )

    async def set_asked(self, person_id: int, asked: bool) -> None:
        await self._db.execute(
            "UPDATE circle_persons SET asked = ?, updated_at = ? WHERE id = ?",
            (int(asked), self._clock.epoch(), person_id),
        )

    async def set_telegram(self, person_id: int, status: str, user_id: int | None) -> None:
        await self._db.execute(
            "UPDATE circle_persons SET tg_status = ?, tg_user = ?, tg_digest = ?, updated_at = ? "
            "WHERE id = ?",
            (
                status,
                self._enc(str(user_id), "tg_user") if user_id is not None else None,
                self.tg_digest(user_id) if user_id is not None else None,
                self._clock.epoch(),
                person_id,
            ),
        )

    async def set_tg_status(self, person_id: int, status: str) -> None:
        await self._db.execute(
            "UPDATE circle_persons SET tg_status = ?, updated_at = ? WHERE id = ?",
            (status, self._clock.epoch(), person_id),
        )

    async def remove_person(self, person_id: int) -> None:
        await self._db.execute("DELETE FROM circle_persons WHERE id = ?", (person_id,))

    async def supporting(self, user_id: int) -> list[SupportPerson]:
        """The entries in which this Telegram user accepted being someone's support person."""
        rows = await self._db.fetch_all(
            "SELECT * FROM circle_persons WHERE tg_digest = ? AND tg_status = 'accepted' "
            "ORDER BY id",
            (self.tg_digest(user_id),),
        )
        return [self._person(row) for row in rows]

    # -- never contact ---------------------------------------------------------------------
    async def never(self, member_id: int) -> list[NeverContact]:
        rows = await self._db.fetch_all(
            "SELECT * FROM circle_never WHERE member_id = ? ORDER BY id", (member_id,)
        )
        return [
            NeverContact(
                id=row["id"],
                member_id=row["member_id"],
                name=self._dec(row["name"], "never_name") or "",
                relationship=self._dec(row["relationship"], "never_relationship"),
            )
            for row in rows
        ]

    async def add_never(self, member_id: int, name: str, relationship: str | None) -> int:
        return await self._db.execute(
            "INSERT INTO circle_never (member_id, name, name_digest, relationship, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (
                member_id,
                self._enc(name, "never_name"),
                self.name_digest(name),
                self._enc(relationship, "never_relationship"),
                self._clock.epoch(),
            ),
        )

    async def remove_never(self, member_id: int, never_id: int) -> bool:
        changed = await self._db.execute(
            "DELETE FROM circle_never WHERE id = ? AND member_id = ?", (never_id, member_id)
        )
        return changed > 0

    async def is_never(self, member_id: int, name: str) -> bool:
        row = await self._db.fetch_one(
            "SELECT 1 FROM circle_never WHERE member_id = ? AND name_digest = ?",
            (member_id, self.name_digest(name)),
        )
        return row is not None

    # -- invites ---------------------------------------------------------------------------
    async def add_invite(self, person_id: int, member_id: int, token: str, expires_at: int) -> int:
        await self._db.execute(
            "UPDATE circle_invites SET status = 'revoked' WHERE person_id = ? "
            "AND status IN ('open', 'opened')",
            (person_id,),
        )
        return await self._db.execute(
            "INSERT INTO circle_invites (token_digest, person_id, member_id, expires_at, "
            "created_at) VALUES (?, ?, ?, ?, ?)",
            (self.token_digest(token), person_id, member_id, expires_at, self._clock.epoch()),
        )

    def token_digest(self, token: str) -> str:
        return self._cipher.digest(token, "circledata.invite")

    @staticmethod
    def _invite(row: Any) -> Invite:
        return Invite(
            id=row["id"],
            person_id=row["person_id"],
            member_id=row["member_id"],
            opened_digest=row["opened_digest"],
            status=row["status"],
            expires_at=row["expires_at"],
        )

    async def invite_by_token(self, token: str) -> Invite | None:
        row = await self._db.fetch_one(
            "SELECT * FROM circle_invites WHERE token_digest = ?", (self.token_digest(token),)
        )
        return self._invite(row) if row else None

    async def invite(self, invite_id: int) -> Invite | None:
        row = await self._db.fetch_one("SELECT * FROM circle_invites WHERE id = ?", (invite_id,))
        return self._invite(row) if row else None

    async def open_invite(self, invite_id: int, opener_id: int) -> bool:
        """Single use: the first person to open the link holds it; False for anyone else."""
        changed = await self._db.execute(
            "UPDATE circle_invites SET status = 'opened', opened_digest = ? "
            "WHERE id = ? AND status = 'open' AND expires_at > ?",
            (self.tg_digest(opener_id), invite_id, self._clock.epoch()),
        )
        return changed > 0

    async def answer_invite(self, invite_id: int, status: str) -> bool:
        changed = await self._db.execute(
            "UPDATE circle_invites SET status = ?, answered_at = ? "
            "WHERE id = ? AND status = 'opened' AND expires_at > ?",
            (status, self._clock.epoch(), invite_id, self._clock.epoch()),
        )
        return changed > 0

    # -- profile: display name and help text -----------------------------------------------
    async def profile(self, member_id: int) -> Profile:
        row = await self._db.fetch_one(
            "SELECT * FROM circle_profiles WHERE member_id = ?", (member_id,)
        )
        if row is None:
            return Profile(member_id=member_id, display_name=None, help_text=None)
        return Profile(
            member_id=member_id,
            display_name=self._dec(row["display_name"], "display_name"),
            help_text=self._dec(row["help_text"], "help_text"),
        )

    async def set_display_name(self, member_id: int, name: str) -> None:
        await self._db.execute(
            "INSERT INTO circle_profiles (member_id, display_name, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT (member_id) DO UPDATE SET display_name = excluded.display_name, "
            "updated_at = excluded.updated_at",
            (member_id, self._enc(name, "display_name"), self._clock.epoch()),
        )

    async def set_help_text(self, member_id: int, text: str | None) -> None:
        await self._db.execute(
            "INSERT INTO circle_profiles (member_id, help_text, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT (member_id) DO UPDATE SET help_text = excluded.help_text, "
            "updated_at = excluded.updated_at",
            (member_id, self._enc(text, "help_text"), self._clock.epoch()),
        )

    # -- drafts: the guided conversation, one question at a time, resumable -----------------
    async def draft(self, user_id: int) -> Draft | None:
        row = await self._db.fetch_one("SELECT * FROM circle_drafts WHERE user_id = ?", (user_id,))
        if row is None:
            return None
        data = json.loads(self._dec(row["data"], "draft") or "{}")
        return Draft(user_id=user_id, state=row["state"], data=data, updated_at=row["updated_at"])

    async def save_draft(self, user_id: int, state: str, data: dict[str, Any]) -> None:
        await self._db.execute(
            "INSERT INTO circle_drafts (user_id, state, data, updated_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (user_id) DO UPDATE SET state = excluded.state, data = excluded.data, "
            "updated_at = excluded.updated_at",
            (user_id, state, self._enc(json.dumps(data), "draft"), self._clock.epoch()),
        )

    async def drop_draft(self, user_id: int) -> None:
        await self._db.execute("DELETE FROM circle_drafts WHERE user_id = ?", (user_id,))

    # -- the member's "yes, that is them" ----------------------------------------------------
    async def await_confirmation(
        self, person_id: int, member_id: int, user_id: int, shown_as: str
    ) -> None:
        """The account that accepted waits for the member's confirmation (encrypted)."""
        await self._db.execute(
            "INSERT INTO circle_confirmations (person_id, member_id, tg_user, shown_as, "
            "created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (person_id) DO UPDATE SET "
            "tg_user = excluded.tg_user, shown_as = excluded.shown_as, "
            "created_at = excluded.created_at",
            (
                person_id,
                member_id,
                self._enc(str(user_id), "confirm_tg"),
                self._enc(shown_as, "confirm_shown"),
                self._clock.epoch(),
            ),
        )

    async def confirmation(self, person_id: int) -> Confirmation | None:
        row = await self._db.fetch_one(
            "SELECT * FROM circle_confirmations WHERE person_id = ?", (person_id,)
        )
        if row is None:
            return None
        return Confirmation(
            person_id=row["person_id"],
            member_id=row["member_id"],
            tg_user_id=int(self._dec(row["tg_user"], "confirm_tg") or 0),
            shown_as=self._dec(row["shown_as"], "confirm_shown") or "",
            created_at=row["created_at"],
        )

    async def drop_confirmation(self, person_id: int) -> bool:
        changed = await self._db.execute(
            "DELETE FROM circle_confirmations WHERE person_id = ?", (person_id,)
        )
        return changed > 0

    # -- erasure ---------------------------------------------------------------------------
    async def erase_member(self, member_id: int) -> None:
        """Everything of the member's circle, gone (for /forgetme)."""
        async with self._db.transaction():
            for table in (
                "circle_advance_groups",
                "circle_confirmations",
                "circle_refusals",
                "circle_invites",
                "circle_persons",
                "circle_never",
                "circle_profiles",
                "circle_consents",
                "circle_escalations",
                "circle_disclosures",
            ):
                await self._db.execute(
                    f"DELETE FROM {table} WHERE member_id = ?",  # noqa: S608
                    (member_id,),
                )
            await self._db.execute(
                "DELETE FROM circle_outbox WHERE member_id = ? AND status != 'sending'",
                (member_id,),
            )
            await self._db.execute("DELETE FROM circle_drafts WHERE user_id = ?", (member_id,))
            # as an administrator: on duty, and the rotation's memory of their cards
            await self._db.execute("DELETE FROM circle_duty WHERE user_id = ?", (member_id,))
            await self._db.execute("DELETE FROM circle_cards WHERE admin_id = ?", (member_id,))
