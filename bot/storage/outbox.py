"""The outbox's records (table ``circle_outbox``): written in the caller's transaction, taken one
at a time per recipient (the oldest waiting message of a chat first), settled once.

Message texts are encrypted; once a message is delivered or given up on, its text is dropped.
"""

from __future__ import annotations

import json
from typing import Any

from bot.crypto import FieldCipher
from bot.records.outbox import Outgoing
from bot.storage.database import Database
from bot.timeutil import Clock

_BODY = "circledata.outbox"
_FAIL = "circledata.outbox_fail"
_MARKUP = "circledata.outbox_markup"
WAITING = ("pending", "sending")


class OutboxRepo:
    def __init__(self, db: Database, cipher: FieldCipher, clock: Clock) -> None:
        self._db = db
        self._cipher = cipher
        self._clock = clock

    def _row(self, row: Any) -> Outgoing:
        return Outgoing(
            id=row["id"],
            chat_id=row["chat_id"],
            body=self._cipher.decrypt(row["body"], _BODY),
            markup=self._markup(row),
            kind=row["kind"],
            lane=row["lane"],
            member_id=row["member_id"],
            fail_chat=row["fail_chat"],
            fail_body=self._cipher.decrypt_optional(row["fail_body"], _FAIL),
            status=row["status"],
            attempts=row["attempts"],
            claimed_at=row["claimed_at"],
            next_at=row["next_at"],
            doubt=bool(row["doubt"]),
            high_water=row["high_water"],
            message_id=row["message_id"],
            copy_chat=row["copy_chat"],
            copy_message=row["copy_message"],
            ref=row["ref"],
            reply_to=row["reply_to"],
            edit_of=row["edit_of"],
            error=row["error"],
            created_at=row["created_at"],
        )

    def _markup(self, row: Any) -> dict[str, Any] | None:
        sealed = self._cipher.decrypt_optional(row["markup_sealed"], _MARKUP)
        if sealed:
            found: dict[str, Any] = json.loads(sealed)
            return found
        return json.loads(row["markup"]) if row["markup"] else None

    async def add(
        self,
        chat_id: int,
        body: str,
        *,
        kind: str,
        lane: str,
        markup: dict[str, Any] | None = None,
        member_id: int | None = None,
        fail_chat: int | None = None,
        fail_body: str | None = None,
        copy_chat: int | None = None,
        copy_message: int | None = None,
        ref: int | None = None,
        reply_to: int | None = None,
        edit_of: int | None = None,
        disclosures: list[int] | None = None,
        cause: str | None = None,
    ) -> tuple[int, bool]:
        """The message's row, and whether it was written now. ``disclosures``: the disclosure
        records this message carries; they become ``seen`` when Telegram accepts it,
        ``undelivered`` when it never can be. ``cause``: a message with this key is written
        once (the row already written is returned)."""
        if cause is not None:
            row = await self._db.fetch_one(
                "SELECT id FROM circle_outbox WHERE cause = ?", (cause,)
            )
            if row is not None:
                return int(row["id"]), False
        now = self._clock.epoch()
        written = await self._db.execute(
            "INSERT INTO circle_outbox (chat_id, body, markup_sealed, kind, lane, member_id, "
            "fail_chat, fail_body, copy_chat, copy_message, ref, reply_to, edit_of, next_at, "
            "created_at, disclosures, cause) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                chat_id,
                self._cipher.encrypt(body, _BODY),
                self._cipher.encrypt_optional(json.dumps(markup) if markup else None, _MARKUP),
                kind,
                lane,
                member_id,
                fail_chat,
                self._cipher.encrypt_optional(fail_body, _FAIL),
                copy_chat,
                copy_message,
                ref,
                reply_to,
                edit_of,
                now,
                now,
                json.dumps(disclosures) if disclosures else None,
                cause,
            ),
        )
        return written, True

    async def get(self, message_id: int) -> Outgoing | None:
        row = await self._db.fetch_one("SELECT * FROM circle_outbox WHERE id = ?", (message_id,))
        return self._row(row) if row else None

    async def head(self, chat_id: int) -> Outgoing | None:
        """The oldest message still waiting for this chat (only it may be sent now)."""
        row = await self._db.fetch_one(
            "SELECT * FROM circle_outbox WHERE chat_id = ? AND status IN ('pending', 'sending') "
            "ORDER BY id LIMIT 1",
            (chat_id,),
        )
        return self._row(row) if row else None

    async def waiting_chats(self) -> list[tuple[int, int]]:
        """Every chat with messages waiting, and when its oldest one may next be tried."""
        rows = await self._db.fetch_all(
            "SELECT chat_id, MIN(next_at) AS due FROM circle_outbox "
            "WHERE status IN ('pending', 'sending') GROUP BY chat_id ORDER BY due"
        )
        return [(int(row["chat_id"]), int(row["due"])) for row in rows]

    async def high_water(self, chat_id: int) -> int | None:
        """The newest Telegram message id the outbox delivered into this chat."""
        row = await self._db.fetch_one(
            "SELECT MAX(message_id) FROM circle_outbox WHERE chat_id = ?", (chat_id,)
        )
        return int(row[0]) if row and row[0] is not None else None

    async def delivered_ids(self, chat_id: int, above: int) -> list[int]:
        """Telegram ids of the outbox's delivered messages in this chat above ``above``."""
        rows = await self._db.fetch_all(
            "SELECT message_id FROM circle_outbox WHERE chat_id = ? AND message_id > ?",
            (chat_id, above),
        )
        return [int(row[0]) for row in rows]

    async def claim(self, message: Outgoing, high_water: int | None) -> bool:
        """Take the chat's oldest waiting message for one attempt (nobody else holds it)."""
        changed = await self._db.execute(
            "UPDATE circle_outbox SET status = 'sending', claimed_at = ?, "
            "attempts = attempts + 1, high_water = COALESCE(?, high_water) "
            "WHERE id = ? AND status = ? AND attempts = ? "
            "AND NOT EXISTS (SELECT 1 FROM circle_outbox AS older "
            "WHERE older.chat_id = circle_outbox.chat_id AND older.id < circle_outbox.id "
            "AND older.status IN ('pending', 'sending'))",
            (self._clock.epoch(), high_water, message.id, message.status, message.attempts),
        )
        return changed > 0

    async def doubtful(self, message_id: int) -> None:
        """An attempt was made whose outcome is unknown (the answer never came)."""
        await self._db.execute("UPDATE circle_outbox SET doubt = 1 WHERE id = ?", (message_id,))

    async def retry(self, message_id: int, next_at: int, error: str, *, doubt: bool) -> None:
        await self._db.execute(
            "UPDATE circle_outbox SET status = 'pending', next_at = ?, error = ?, "
            "doubt = MAX(doubt, ?) WHERE id = ? AND status = 'sending'",
            (next_at, error, int(doubt), message_id),
        )

    async def _settle_carried(self, message_id: int, status: str) -> None:
        """The disclosures the message carries are ``seen`` (delivered) or ``undelivered``."""
        row = await self._db.fetch_one(
            "SELECT disclosures FROM circle_outbox WHERE id = ?", (message_id,)
        )
        if row is None or not row["disclosures"]:
            return
        for disclosure_id in json.loads(row["disclosures"]):
            await self._db.execute(
                "UPDATE circle_disclosures SET status = ?, created_at = ? "
                "WHERE id = ? AND status = 'pending'",
                (status, self._clock.epoch(), int(disclosure_id)),
            )

    async def delivered(self, message_id: int, telegram_id: int | None) -> bool:
        """Record the one delivered copy; the text itself is not kept. False if already settled."""
        await self._settle_carried(message_id, "seen")
        changed = await self._db.execute(
            "UPDATE circle_outbox SET status = 'sent', sent_at = ?, message_id = ?, body = ?, "
            "fail_body = NULL, markup_sealed = NULL, doubt = 0, error = NULL WHERE id = ? "
            "AND status IN "
            "('pending', 'sending')",
            (self._clock.epoch(), telegram_id, self._cipher.encrypt("", _BODY), message_id),
        )
        return changed > 0

    async def given_up(self, message_id: int, error: str) -> bool:
        await self._settle_carried(message_id, "undelivered")
        changed = await self._db.execute(
            "UPDATE circle_outbox SET status = 'failed', body = ?, fail_body = NULL, "
            "markup_sealed = NULL, error = ? "
            "WHERE id = ? AND status IN ('pending', 'sending')",
            (self._cipher.encrypt("", _BODY), error, message_id),
        )
        return changed > 0

    async def withdraw(self, chat_id: int, kind: str, ref: int) -> int:
        """Waiting messages of a kind about ``ref`` for this chat are dropped, unsent."""
        return await self._db.execute(
            "UPDATE circle_outbox SET status = 'failed', error = 'withdrawn', body = ?, "
            "markup_sealed = NULL, fail_body = NULL WHERE chat_id = ? AND kind = ? AND ref = ? "
            "AND status = 'pending'",
            (self._cipher.encrypt("", _BODY), chat_id, kind, ref),
        )

    async def forget_person(self, user_id: int) -> int:
        """``/forgetme``: every message to, about or failing back to the person goes (a
        welcome names its newcomer in ``ref``)."""
        return await self._db.execute(
            "DELETE FROM circle_outbox WHERE chat_id = ? OR member_id = ? OR fail_chat = ? "
            "OR (kind = 'rules_welcome' AND ref = ?)",
            (user_id, user_id, user_id, user_id),
        )

    async def move(self, message_id: int, chat_id: int) -> None:
        """The group became a supergroup: the message goes to its new id, waiting again."""
        await self._db.execute(
            "UPDATE circle_outbox SET chat_id = ?, status = 'pending', next_at = ? WHERE id = ?",
            (chat_id, self._clock.epoch(), message_id),
        )

    async def release_all(self) -> int:
        """At start-up: attempts cut off by the stop are doubtful and waiting again."""
        return await self._db.execute(
            "UPDATE circle_outbox SET status = 'pending', doubt = 1, next_at = ? "
            "WHERE status = 'sending'",
            (self._clock.epoch(),),
        )

    async def counts(self) -> dict[str, int]:
        rows = await self._db.fetch_all(
            "SELECT status, COUNT(*) AS n FROM circle_outbox GROUP BY status"
        )
        return {str(row["status"]): int(row["n"]) for row in rows}

    async def all(self) -> list[Outgoing]:
        rows = await self._db.fetch_all("SELECT * FROM circle_outbox ORDER BY id")
        return [self._row(row) for row in rows]
