"""Notices kept for a group's administrators while nobody on the team can be reached.

The notice is stored rendered in every language (encrypted: it can name members), so it can be
delivered later in each reader's own language without knowing how it was composed.
"""

from __future__ import annotations

import json
from typing import Any

from bot.crypto import FieldCipher
from bot.records.held import HeldNotice
from bot.storage.database import Database
from bot.timeutil import Clock

_BODY = "held_notice"

# What a kept notice may be about, and how to tell it is still open (a settled report or an
# answered join request is not delivered late).
_STILL_OPEN = {
    "report": "SELECT 1 FROM mod_reports WHERE id = ? AND status = 'open'",
    "join_request": "SELECT 1 FROM rules_join_requests WHERE id = ? AND status = 'pending'",
    "sanction": "SELECT 1 FROM mod_sanctions WHERE id = ? AND status = 'active'",
}


class HeldRepo:
    def __init__(self, db: Database, cipher: FieldCipher, clock: Clock) -> None:
        self._db = db
        self._cipher = cipher
        self._clock = clock

    async def hold(
        self,
        chat_id: int,
        versions: dict[str, tuple[str, dict[str, Any] | None]],
        *,
        item: str | None,
        item_id: int | None,
        team: bool,
        anonymous: bool,
    ) -> int:
        body = json.dumps({lang: [text, markup] for lang, (text, markup) in versions.items()})
        return await self._db.execute(
            "INSERT INTO held_notices (chat_id, item, item_id, body, team, anonymous, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                chat_id,
                item,
                item_id,
                self._cipher.encrypt(body, _BODY),
                int(team),
                int(anonymous),
                self._clock.epoch(),
            ),
        )

    async def waiting(self, chat_id: int) -> list[HeldNotice]:
        """The group's kept notices, oldest first."""
        rows = await self._db.fetch_all(
            "SELECT * FROM held_notices WHERE status = 'held' AND chat_id = ? ORDER BY id",
            (chat_id,),
        )
        found = []
        for row in rows:
            raw = json.loads(self._cipher.decrypt(row["body"], _BODY))
            found.append(
                HeldNotice(
                    id=row["id"],
                    chat_id=row["chat_id"],
                    item=row["item"],
                    item_id=row["item_id"],
                    versions={lang: (str(v[0]), v[1]) for lang, v in raw.items()},
                    team=bool(row["team"]),
                    anonymous=bool(row["anonymous"]),
                    created_at=row["created_at"],
                )
            )
        return found

    async def count(self, chat_id: int) -> int:
        row = await self._db.fetch_one(
            "SELECT COUNT(*) FROM held_notices WHERE status = 'held' AND chat_id = ?", (chat_id,)
        )
        return int(row[0]) if row else 0

    async def groups_waiting(self) -> list[int]:
        """Groups with notices kept for their administrators."""
        rows = await self._db.fetch_all(
            "SELECT DISTINCT chat_id FROM held_notices WHERE status = 'held' ORDER BY chat_id"
        )
        return [int(row["chat_id"]) for row in rows]

    async def holds_item(self, chat_id: int, item: str, item_id: int) -> bool:
        """Whether a notice about this item is already kept for the group's admins."""
        row = await self._db.fetch_one(
            "SELECT 1 FROM held_notices WHERE status = 'held' AND chat_id = ? AND item = ? "
            "AND item_id = ?",
            (chat_id, item, item_id),
        )
        return row is not None

    async def still_open(self, item: str | None, item_id: int | None) -> bool:
        """Whether what the notice is about still waits for an answer."""
        query = _STILL_OPEN.get(item or "")
        if query is None or item_id is None:
            return True
        return await self._db.fetch_one(query, (item_id,)) is not None

    async def claim(self, notice_id: int) -> bool:
        """Take a kept notice to send it; False if another delivery has it (or had it)."""
        changed = await self._db.execute(
            "UPDATE held_notices SET status = 'sending' WHERE id = ? AND status = 'held'",
            (notice_id,),
        )
        return changed > 0

    async def release(self, notice_id: int) -> None:
        """Nobody could be reached after all: the notice is kept again."""
        await self._db.execute(
            "UPDATE held_notices SET status = 'held' WHERE id = ? AND status = 'sending'",
            (notice_id,),
        )

    async def release_all(self) -> int:
        """At start-up: notices a stopped delivery had taken are kept again."""
        return await self._db.execute(
            "UPDATE held_notices SET status = 'held' WHERE status = 'sending'"
        )

    async def finish(self, notice_id: int, status: str) -> bool:
        """Close a kept notice (delivered, or stale); False if it was closed already."""
        changed = await self._db.execute(
            "UPDATE held_notices SET status = ?, finished_at = ? "
            "WHERE id = ? AND status IN ('held', 'sending')",
            (status, self._clock.epoch(), notice_id),
        )
        return changed > 0

    async def purge(self, before: int) -> int:
        return await self._db.execute(
            "DELETE FROM held_notices WHERE status IN ('delivered', 'stale') AND finished_at < ?",
            (before,),
        )

    async def forget_group(self, chat_id: int) -> int:
        return await self._db.execute("DELETE FROM held_notices WHERE chat_id = ?", (chat_id,))
