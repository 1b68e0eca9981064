"""Kind-words invitations, the kind messages relayed and the senders muted. The member's words
and every sender are encrypted, and dropped when the invitation is declined or ends."""

from __future__ import annotations

from typing import Any

from bot.crypto import FieldCipher
from bot.records.kindwords import Invitation
from bot.storage.database import Database
from bot.timeutil import Clock

_WORDS = "kindwords_words"
_SENDER = "kindwords_sender"
_MUTED = "kindwords_muted"
_CLOSED = ("declined", "ended")


class KindWordsRepo:
    def __init__(self, db: Database, cipher: FieldCipher, clock: Clock) -> None:
        self._db = db
        self._cipher = cipher
        self._clock = clock

    def _invitation(self, row: Any) -> Invitation:
        return Invitation(
            id=row["id"],
            chat_id=row["chat_id"],
            member_id=row["member_id"],
            asked_by=row["asked_by"],
            state=row["state"],
            words=self._cipher.decrypt_optional(row["words"], _WORDS),
            post_id=row["post_id"],
            ends_at=row["ends_at"],
            created_at=row["created_at"],
        )

    async def add(self, chat_id: int, member_id: int, asked_by: int | None, words: str) -> int:
        return await self._db.execute(
            "INSERT INTO kindwords_invitations (chat_id, member_id, asked_by, state, words, "
            "created_at) VALUES (?, ?, ?, 'asked', ?, ?)",
            (
                chat_id,
                member_id,
                asked_by,
                self._cipher.encrypt(words, _WORDS),
                self._clock.epoch(),
            ),
        )

    async def get(self, invitation_id: int) -> Invitation | None:
        row = await self._db.fetch_one(
            "SELECT * FROM kindwords_invitations WHERE id = ?", (invitation_id,)
        )
        return self._invitation(row) if row else None

    async def current(self, chat_id: int, member_id: int) -> Invitation | None:
        """The member's invitation in this group that is asked or open, if any."""
        row = await self._db.fetch_one(
            "SELECT * FROM kindwords_invitations WHERE chat_id = ? AND member_id = ? "
            "AND state IN ('asked', 'open') ORDER BY id DESC LIMIT 1",
            (chat_id, member_id),
        )
        return self._invitation(row) if row else None

    async def set_words(self, invitation_id: int, words: str) -> bool:
        return bool(
            await self._db.execute(
                "UPDATE kindwords_invitations SET words = ? WHERE id = ? AND state = 'asked'",
                (self._cipher.encrypt(words, _WORDS), invitation_id),
            )
        )

    async def move(
        self, invitation_id: int, old: str, new: str, *, ends_at: int | None = None
    ) -> bool:
        """From state ``old`` to ``new`` (False if it was no longer ``old``). A closed
        invitation keeps no words and no senders."""
        async with self._db.transaction():
            changed = await self._db.execute(
                "UPDATE kindwords_invitations SET state = ?, ends_at = COALESCE(?, ends_at), "
                "words = CASE WHEN ? IN ('declined', 'ended') THEN NULL ELSE words END "
                "WHERE id = ? AND state = ?",
                (new, ends_at, new, invitation_id, old),
            )
            if changed and new in _CLOSED:
                for table in ("kindwords_sent", "kindwords_muted"):
                    await self._db.execute(
                        f"DELETE FROM {table} WHERE invitation_id = ?",  # noqa: S608
                        (invitation_id,),
                    )
        return bool(changed)

    async def set_post(self, invitation_id: int, post_id: int) -> None:
        await self._db.execute(
            "UPDATE kindwords_invitations SET post_id = ? WHERE id = ?", (post_id, invitation_id)
        )

    async def sent_at(self, invitation_id: int, sender_id: int, since: int) -> list[int]:
        """When this sender's kind messages for the invitation went, since ``since``."""
        rows = await self._db.fetch_all(
            "SELECT sender, sent_at FROM kindwords_sent WHERE invitation_id = ? AND sent_at > ?",
            (invitation_id, since),
        )
        return [
            int(row["sent_at"])
            for row in rows
            if self._cipher.decrypt(row["sender"], _SENDER) == str(sender_id)
        ]

    async def record_sent(self, invitation_id: int, sender_id: int) -> int:
        """One kind message relayed; its id (what the member's buttons on it name)."""
        return await self._db.execute(
            "INSERT INTO kindwords_sent (invitation_id, sender, sent_at) VALUES (?, ?, ?)",
            (invitation_id, self._cipher.encrypt(str(sender_id), _SENDER), self._clock.epoch()),
        )

    async def sender_of(self, sent_id: int) -> tuple[int, int] | None:
        """``(invitation id, sender id)`` of a kind message still kept."""
        row = await self._db.fetch_one(
            "SELECT invitation_id, sender FROM kindwords_sent WHERE id = ?", (sent_id,)
        )
        if row is None:
            return None
        return int(row["invitation_id"]), int(self._cipher.decrypt(row["sender"], _SENDER))

    async def mute(self, invitation_id: int, sender_id: int) -> None:
        if await self.is_muted(invitation_id, sender_id):
            return
        await self._db.execute(
            "INSERT INTO kindwords_muted (invitation_id, sender) VALUES (?, ?)",
            (invitation_id, self._cipher.encrypt(str(sender_id), _MUTED)),
        )

    async def is_muted(self, invitation_id: int, sender_id: int) -> bool:
        rows = await self._db.fetch_all(
            "SELECT sender FROM kindwords_muted WHERE invitation_id = ?", (invitation_id,)
        )
        return any(self._cipher.decrypt(row["sender"], _MUTED) == str(sender_id) for row in rows)

    # -- a person's data (/mydata, /forgetme) and retention -----------------------------------

    async def export_person(self, user_id: int) -> dict[str, Any]:
        rows = await self._db.fetch_all(
            "SELECT * FROM kindwords_invitations WHERE member_id = ? ORDER BY id", (user_id,)
        )
        invitations = [self._invitation(row) for row in rows]
        return {
            "invitations": [
                {
                    "chat_id": i.chat_id,
                    "state": i.state,
                    "words": i.words,
                    "ends_at": i.ends_at,
                    "created_at": i.created_at,
                }
                for i in invitations
            ],
            "kind_messages_sent_kept": len(await self._rows_of_sender("kindwords_sent", user_id)),
        }

    async def forget_person(self, user_id: int) -> None:
        """The person's invitations, and every trace of them as a sender."""
        await self._db.execute("DELETE FROM kindwords_invitations WHERE member_id = ?", (user_id,))
        for table in ("kindwords_sent", "kindwords_muted"):
            for row_id in await self._rows_of_sender(table, user_id):
                await self._db.execute(
                    f"DELETE FROM {table} WHERE id = ?",  # noqa: S608
                    (row_id,),
                )

    async def _rows_of_sender(self, table: str, user_id: int) -> list[int]:
        context = _SENDER if table == "kindwords_sent" else _MUTED
        rows = await self._db.fetch_all(f"SELECT id, sender FROM {table}")  # noqa: S608
        return [
            int(row["id"])
            for row in rows
            if self._cipher.decrypt(row["sender"], context) == str(user_id)
        ]

    async def purge(self, before: int) -> int:
        """Invitations declined or ended, created before ``before`` (they keep no words)."""
        return await self._db.execute(
            "DELETE FROM kindwords_invitations WHERE state IN ('declined', 'ended') "
            "AND created_at < ?",
            (before,),
        )
