"""One-to-one contact: requests and conversations (never their content), listeners, feedback."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any

from bot.crypto import DecryptionError, FieldCipher
from bot.records.talk import Conversation, Feedback, Listening, Offer
from bot.storage.database import Database
from bot.timeutil import Clock

_TOPIC = "talk_topic"
_FEEDBACK = "talk_feedback"
_DRAFT = "talk_feedback_draft"


def _conversation(row: Any) -> Conversation:
    return Conversation(
        id=row["id"],
        chat_id=row["chat_id"],
        member_id=row["member_id"],
        kind=row["kind"],
        status=row["status"],
        helper_id=row["helper_id"],
        round=row["round"],
        closed_reason=row["closed_reason"],
        created_at=row["created_at"],
        accepted_at=row["accepted_at"],
        last_activity_at=row["last_activity_at"],
        closed_at=row["closed_at"],
    )


def iso_week(epoch: int) -> str:
    """The ISO week an instant falls in, e.g. ``2026-W47`` (as coarse as feedback dates get)."""
    year, week, _ = datetime.fromtimestamp(epoch, UTC).isocalendar()
    return f"{year}-W{week:02d}"


class TalkRepo:
    def __init__(self, db: Database, cipher: FieldCipher, clock: Clock) -> None:
        self._db = db
        self._cipher = cipher
        self._clock = clock

    # -- conversations -------------------------------------------------------------------

    async def create(self, chat_id: int, member_id: int, kind: str, topic: str | None) -> int:
        now = self._clock.epoch()
        return await self._db.execute(
            "INSERT INTO talk_conversations (chat_id, member_id, kind, topic, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (chat_id, member_id, kind, self._cipher.encrypt_optional(topic, _TOPIC), now),
        )

    async def get(self, conversation_id: int) -> Conversation | None:
        row = await self._db.fetch_one(
            "SELECT * FROM talk_conversations WHERE id = ?", (conversation_id,)
        )
        return _conversation(row) if row else None

    async def topic(self, conversation_id: int) -> str | None:
        row = await self._db.fetch_one(
            "SELECT topic FROM talk_conversations WHERE id = ?", (conversation_id,)
        )
        if row is None:
            return None
        return self._cipher.decrypt_optional(row["topic"], _TOPIC)

    async def active_for(self, user_id: int) -> Conversation | None:
        """The pending request or open conversation a person is part of (either side)."""
        row = await self._db.fetch_one(
            """
            SELECT * FROM talk_conversations
            WHERE (member_id = ? AND status IN ('pending', 'open'))
               OR (helper_id = ? AND status = 'open')
            ORDER BY id DESC LIMIT 1
            """,
            (user_id, user_id),
        )
        return _conversation(row) if row else None

    async def kept_requests(self) -> list[Conversation]:
        """Requests for an administrator that nobody could be offered yet (oldest first)."""
        rows = await self._db.fetch_all(
            "SELECT * FROM talk_conversations c WHERE status = 'pending' AND kind = 'admin' "
            "AND NOT EXISTS (SELECT 1 FROM talk_offers o WHERE o.conversation_id = c.id) "
            "ORDER BY id"
        )
        return [_conversation(row) for row in rows]

    async def requests_since(self, member_id: int, since: int) -> int:
        row = await self._db.fetch_one(
            "SELECT COUNT(*) FROM talk_conversations WHERE member_id = ? AND created_at >= ?",
            (member_id, since),
        )
        return int(row[0]) if row else 0

    async def accept(self, conversation_id: int, helper_id: int) -> bool:
        """The first to accept gets it: True only for the one whose update changed the row."""
        now = self._clock.epoch()
        changed = await self._db.execute(
            "UPDATE talk_conversations SET status = 'open', helper_id = ?, topic = NULL, "
            "accepted_at = ?, last_activity_at = ? WHERE id = ? AND status = 'pending'",
            (helper_id, now, now, conversation_id),
        )
        return changed == 1

    async def touch(self, conversation_id: int) -> None:
        await self._db.execute(
            "UPDATE talk_conversations SET last_activity_at = ? WHERE id = ? AND status = 'open'",
            (self._clock.epoch(), conversation_id),
        )

    async def next_round(self, conversation_id: int) -> bool:
        changed = await self._db.execute(
            "UPDATE talk_conversations SET round = round + 1 "
            "WHERE id = ? AND status = 'pending' AND round = 1",
            (conversation_id,),
        )
        return changed == 1

    async def finish(self, conversation_id: int, status: str, reason: str) -> bool:
        """Close a pending request or open conversation; False if it was already finished."""
        changed = await self._db.execute(
            "UPDATE talk_conversations SET status = ?, closed_reason = ?, closed_at = ?, "
            "topic = NULL WHERE id = ? AND status IN ('pending', 'open')",
            (status, reason, self._clock.epoch(), conversation_id),
        )
        return changed == 1

    async def purge(self, before: int) -> int:
        """Forget finished conversations (and old feedback) older than the retention period."""
        async with self._db.transaction():
            removed = await self._db.execute(
                "DELETE FROM talk_conversations WHERE closed_at IS NOT NULL AND closed_at < ?",
                (before,),
            )
            await self._db.execute("DELETE FROM talk_feedback WHERE week < ?", (iso_week(before),))
        return removed

    # -- offers (the copies of a pending request) ------------------------------------------

    async def add_offer(
        self, conversation_id: int, helper_id: int | None, message_chat_id: int, message_id: int
    ) -> None:
        await self._db.execute(
            "INSERT INTO talk_offers (conversation_id, helper_id, message_chat_id, message_id) "
            "VALUES (?, ?, ?, ?)",
            (conversation_id, helper_id, message_chat_id, message_id),
        )

    async def offers(self, conversation_id: int) -> list[Offer]:
        rows = await self._db.fetch_all(
            "SELECT * FROM talk_offers WHERE conversation_id = ? ORDER BY id", (conversation_id,)
        )
        return [
            Offer(
                id=row["id"],
                conversation_id=row["conversation_id"],
                helper_id=row["helper_id"],
                message_chat_id=row["message_chat_id"],
                message_id=row["message_id"],
                status=row["status"],
            )
            for row in rows
        ]

    async def decline(self, conversation_id: int, helper_id: int) -> bool:
        changed = await self._db.execute(
            "UPDATE talk_offers SET status = 'declined' "
            "WHERE conversation_id = ? AND helper_id = ? AND status = 'sent'",
            (conversation_id, helper_id),
        )
        return changed > 0

    async def clear_offers(self, conversation_id: int) -> None:
        await self._db.execute(
            "DELETE FROM talk_offers WHERE conversation_id = ?", (conversation_id,)
        )

    # -- listeners ---------------------------------------------------------------------------

    async def listen(self, user_id: int, chat_id: int) -> None:
        await self._db.execute(
            "INSERT INTO talk_listeners (user_id, chat_id, since) VALUES (?, ?, ?) "
            "ON CONFLICT (user_id, chat_id) DO NOTHING",
            (user_id, chat_id, self._clock.epoch()),
        )

    async def stop_listening(self, user_id: int, chat_id: int | None = None) -> int:
        if chat_id is None:
            return await self._db.execute(
                "DELETE FROM talk_listeners WHERE user_id = ?", (user_id,)
            )
        return await self._db.execute(
            "DELETE FROM talk_listeners WHERE user_id = ? AND chat_id = ?", (user_id, chat_id)
        )

    async def set_paused(self, user_id: int, paused: bool) -> int:
        return await self._db.execute(
            "UPDATE talk_listeners SET paused = ? WHERE user_id = ?", (int(paused), user_id)
        )

    async def listening(self, user_id: int) -> list[Listening]:
        rows = await self._db.fetch_all(
            "SELECT * FROM talk_listeners WHERE user_id = ? ORDER BY chat_id", (user_id,)
        )
        return [Listening(row["user_id"], row["chat_id"], bool(row["paused"])) for row in rows]

    async def available_listeners(self, chat_id: int) -> list[int]:
        rows = await self._db.fetch_all(
            "SELECT user_id FROM talk_listeners WHERE chat_id = ? AND paused = 0 "
            "ORDER BY since, user_id",
            (chat_id,),
        )
        return [int(row["user_id"]) for row in rows]

    # -- who should not be matched with whom -------------------------------------------------

    async def avoid(self, member_id: int, helper_id: int) -> None:
        await self._db.execute(
            "INSERT INTO talk_avoid (member_id, helper_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
            (member_id, helper_id),
        )

    async def avoided_by(self, member_id: int) -> set[int]:
        rows = await self._db.fetch_all(
            "SELECT helper_id FROM talk_avoid WHERE member_id = ?", (member_id,)
        )
        return {int(row["helper_id"]) for row in rows}

    async def block(self, helper_id: int, member_id: int, chat_id: int) -> None:
        await self._db.execute(
            "INSERT INTO talk_blocks (helper_id, member_id, chat_id, created_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (helper_id, member_id, chat_id, self._clock.epoch()),
        )

    async def blocked_by(self, member_id: int) -> set[int]:
        """The helpers who asked not to receive this person's requests any more."""
        rows = await self._db.fetch_all(
            "SELECT helper_id FROM talk_blocks WHERE member_id = ?", (member_id,)
        )
        return {int(row["helper_id"]) for row in rows}

    async def blocks_of(self, helper_id: int) -> set[int]:
        """The people whose requests this person asked not to receive."""
        rows = await self._db.fetch_all(
            "SELECT member_id FROM talk_blocks WHERE helper_id = ?", (helper_id,)
        )
        return {int(row["member_id"]) for row in rows}

    async def unblock_all(self, helper_id: int) -> int:
        return await self._db.execute("DELETE FROM talk_blocks WHERE helper_id = ?", (helper_id,))

    async def busy_helpers(self) -> set[int]:
        rows = await self._db.fetch_all(
            "SELECT helper_id FROM talk_conversations WHERE status = 'open'"
        )
        return {int(row["helper_id"]) for row in rows if row["helper_id"] is not None}

    # -- anonymous feedback ------------------------------------------------------------------

    async def add_feedback(self, chat_id: int, body: str) -> str:
        """Store feedback with nothing that could lead back to its sender."""
        feedback_id = secrets.token_hex(16)
        await self._db.execute(
            "INSERT INTO talk_feedback (id, chat_id, week, body) VALUES (?, ?, ?, ?)",
            (
                feedback_id,
                chat_id,
                iso_week(self._clock.epoch()),
                self._cipher.encrypt(body, f"{_FEEDBACK}.{chat_id}"),
            ),
        )
        return feedback_id

    def seal_draft(self, user_id: int, chat_id: int, body: str) -> str:
        """A feedback draft, encrypted for this person and group, as text for a short wait.

        The draft is kept only while the person decides to send it (in their awaiting
        record, as this sealed hex); the plain text is never written anywhere.
        """
        return self._cipher.encrypt(body, f"{_DRAFT}.{user_id}.{chat_id}").hex()

    def open_draft(self, user_id: int, chat_id: int, sealed: str) -> str | None:
        """The draft's text, or None if the sealed text is not this person's draft for it."""
        try:
            return self._cipher.decrypt(bytes.fromhex(sealed), f"{_DRAFT}.{user_id}.{chat_id}")
        except (ValueError, DecryptionError):
            return None

    async def feedback(self, chat_id: int) -> list[Feedback]:
        rows = await self._db.fetch_all(
            "SELECT * FROM talk_feedback WHERE chat_id = ? ORDER BY week, id", (chat_id,)
        )
        return [
            Feedback(
                id=row["id"],
                chat_id=row["chat_id"],
                week=row["week"],
                body=self._cipher.decrypt(row["body"], f"{_FEEDBACK}.{chat_id}"),
            )
            for row in rows
        ]

    # -- a person's own data (/mydata, /forgetme) ----------------------------------------------

    async def export_person(self, user_id: int) -> dict[str, Any]:
        """Everything one-to-one contact keeps about a person (never anything said)."""
        conversations = await self._db.fetch_all(
            "SELECT id, chat_id, kind, status, created_at, accepted_at, closed_at, "
            "CASE WHEN member_id = ? THEN 'asked' ELSE 'helped' END AS role "
            "FROM talk_conversations WHERE member_id = ? OR helper_id = ? ORDER BY id",
            (user_id, user_id, user_id),
        )
        return {
            "conversations": [dict(row) for row in conversations],
            "listening_in_groups": [
                {"chat_id": x.chat_id, "paused": x.paused} for x in await self.listening(user_id)
            ],
            "listeners_not_to_match_again": len(await self.avoided_by(user_id)),
            "people_whose_requests_you_blocked": len(
                await self._db.fetch_all(
                    "SELECT 1 FROM talk_blocks WHERE helper_id = ?", (user_id,)
                )
            ),
        }

    async def forget_person(self, user_id: int) -> None:
        """Erase a person from one-to-one contact (open conversations must be closed first)."""
        async with self._db.transaction():
            await self._db.execute(
                "DELETE FROM talk_conversations WHERE (member_id = ? OR helper_id = ?) "
                "AND status NOT IN ('pending', 'open')",
                (user_id, user_id),
            )
            await self._db.execute("DELETE FROM talk_listeners WHERE user_id = ?", (user_id,))
            await self._db.execute(
                "DELETE FROM talk_avoid WHERE member_id = ? OR helper_id = ?", (user_id, user_id)
            )
            await self._db.execute(
                "DELETE FROM talk_blocks WHERE member_id = ? OR helper_id = ?", (user_id, user_id)
            )
