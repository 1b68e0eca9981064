"""The ids of updates already carried out, so an update Telegram sends again runs once.

Only ids and times are kept (never an update's body); ids older than Telegram keeps updates
for are pruned.
"""

from __future__ import annotations

import contextlib

from bot.storage.database import Database, commit_with
from bot.timeutil import Clock

_MARK = "INSERT OR IGNORE INTO handled_updates (update_id, handled_at) VALUES (?, ?)"


class HandledRepo:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    async def mark(self, update_id: int) -> None:
        await self._db.execute(_MARK, (update_id, self._clock.epoch()))

    def marked_with_its_changes(self, update_id: int) -> contextlib.AbstractContextManager[None]:
        """While the update is handled, its id is recorded in the same commit as each
        transaction it makes: a crash after its change leaves it recorded, never re-run."""
        return commit_with(_MARK, (update_id, self._clock.epoch()))

    async def was_handled(self, update_id: int) -> bool:
        row = await self._db.fetch_one(
            "SELECT 1 FROM handled_updates WHERE update_id = ?", (update_id,)
        )
        return row is not None

    async def highest(self) -> int | None:
        """The highest id carried out (None: none kept)."""
        row = await self._db.fetch_one("SELECT MAX(update_id) FROM handled_updates")
        return None if row is None or row[0] is None else int(row[0])

    async def begin_effect(self, update_id: int, effect: str) -> None:
        """The update's handling is about to make ``effect`` outside the database."""
        await self._db.execute(
            "INSERT OR IGNORE INTO update_effects (update_id, effect, begun_at) VALUES (?, ?, ?)",
            (update_id, effect, self._clock.epoch()),
        )

    async def effect_begun(self, update_id: int, effect: str) -> bool:
        """Had a run of this update begun ``effect`` (before a kill)?"""
        row = await self._db.fetch_one(
            "SELECT 1 FROM update_effects WHERE update_id = ? AND effect = ?", (update_id, effect)
        )
        return row is not None

    async def forget_person(self, user_id: int) -> None:
        """The effects begun on a person (``kind:chat:user``: a warning, a ban) are forgotten
        with them (they would only stop a crashed update from repeating its change)."""
        await self._db.execute(
            "DELETE FROM update_effects WHERE effect LIKE ?", (f"%:{int(user_id)}",)
        )

    async def prune(self, before: int) -> int:
        """Forget ids carried out before ``before`` (epoch seconds), and the effects begun
        before it; how many ids were removed."""
        await self._db.execute("DELETE FROM update_effects WHERE begun_at < ?", (before,))
        return await self._db.execute(
            "DELETE FROM handled_updates WHERE handled_at < ?", (before,)
        )
