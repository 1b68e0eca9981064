"""The solicitation scorer's learned adjustment: bucket → weight, and a count of answers.

Deployment data, not personal data: no text, no person, no group id, no chat. It survives a
restart (loaded at start-up) and ``reset`` deletes all of it.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.storage.database import Database
from bot.timeutil import Clock


class LearningRepo:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    async def load(self) -> tuple[dict[int, float], int]:
        """Every learned weight, and how many answers were learned from."""
        rows = await self._db.fetch_all("SELECT bucket, weight FROM solicitation_learning")
        meta = await self._db.fetch_one(
            "SELECT answers FROM solicitation_learning_meta WHERE id = 1"
        )
        weights = {int(row["bucket"]): float(row["weight"]) for row in rows}
        return weights, int(meta["answers"]) if meta is not None else 0

    async def save(self, changed: Mapping[int, float], answers: int) -> None:
        """Store the buckets one answer changed (0.0 deletes a bucket) and the new count."""
        now = self._clock.epoch()
        async with self._db.transaction():
            for bucket, weight in sorted(changed.items()):
                if weight == 0.0:
                    await self._db.execute(
                        "DELETE FROM solicitation_learning WHERE bucket = ?", (bucket,)
                    )
                else:
                    await self._db.execute(
                        """
                        INSERT INTO solicitation_learning (bucket, weight) VALUES (?, ?)
                        ON CONFLICT (bucket) DO UPDATE SET weight = excluded.weight
                        """,
                        (bucket, weight),
                    )
            await self._db.execute(
                """
                INSERT INTO solicitation_learning_meta (id, answers, updated_at) VALUES (1, ?, ?)
                ON CONFLICT (id) DO UPDATE SET answers = excluded.answers,
                    updated_at = excluded.updated_at
                """,
                (answers, now),
            )

    async def reset(self) -> int:
        """Forget everything learned. Returns how many weights were deleted."""
        async with self._db.transaction():
            removed = await self._db.execute("DELETE FROM solicitation_learning")
            await self._db.execute("DELETE FROM solicitation_learning_meta")
        return removed
