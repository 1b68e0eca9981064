"""People the bot has met: language choice and whether the bot can reach them privately.

No names are stored: names come with each update from Telegram when they are needed.
"""

from __future__ import annotations

from bot.records.people import Membership, Person
from bot.storage.database import Database
from bot.timeutil import Clock

MAX_REMEMBERED = 200_000


class UserRepo:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock
        # People known to have started the bot, with the Telegram language last written: a
        # private update from them needs no write (the tracking handler sees every one).
        self._started: dict[int, str | None] = {}
        # (group, person) pairs known to be members now: a group message from them needs no
        # write. Bounded: when full it starts again (a write per person, once).
        self._members: set[tuple[int, int]] = set()

    async def get(self, user_id: int) -> Person | None:
        row = await self._db.fetch_one("SELECT * FROM users WHERE user_id = ?", (user_id,))
        if row is None:
            return None
        return Person(
            user_id=row["user_id"],
            language=row["language"],
            telegram_language=row["telegram_language"],
            reachable=row["started_at"] is not None and row["blocked_at"] is None,
        )

    async def seen_private(self, user_id: int, telegram_language: str | None) -> bool:
        """The person wrote to the bot privately, so the bot may now write to them.

        True when they could not be written to before (never started the bot, or blocked it):
        what waited for them can be delivered now."""
        if user_id in self._started and self._started[user_id] == telegram_language:
            return False
        now = self._clock.epoch()
        before = await self._db.fetch_one(
            "SELECT started_at, blocked_at FROM users WHERE user_id = ?", (user_id,)
        )
        await self._db.execute(
            """
            INSERT INTO users (user_id, telegram_language, started_at, created_at)
            VALUES (?, ?, ?, ?)
            ON CONFLICT (user_id) DO UPDATE SET
                telegram_language = COALESCE(excluded.telegram_language, telegram_language),
                started_at = COALESCE(started_at, excluded.started_at),
                blocked_at = NULL
            """,
            (user_id, telegram_language, now, now),
        )
        self._started[user_id] = telegram_language
        return before is None or before["started_at"] is None or before["blocked_at"] is not None

    def forget_cached(self, user_id: int) -> None:
        """Forget that the person started the bot (they blocked it): the next private update
        writes again. Group memberships are not about the private chat; ``set_membership``
        keeps their memory honest."""
        self._started.pop(user_id, None)

    async def ensure(self, user_id: int, telegram_language: str | None) -> None:
        """Remember a person seen in a group (language only; nothing else)."""
        await self._db.execute(
            """
            INSERT INTO users (user_id, telegram_language, created_at) VALUES (?, ?, ?)
            ON CONFLICT (user_id) DO UPDATE SET
                telegram_language = COALESCE(excluded.telegram_language, telegram_language)
            """,
            (user_id, telegram_language, self._clock.epoch()),
        )

    async def set_language(self, user_id: int, language: str) -> None:
        await self._db.execute(
            """
            INSERT INTO users (user_id, language, created_at) VALUES (?, ?, ?)
            ON CONFLICT (user_id) DO UPDATE SET language = excluded.language
            """,
            (user_id, language, self._clock.epoch()),
        )

    async def mark_blocked(self, user_id: int) -> None:
        """The person blocked the bot (or never started it): do not try again until they do."""
        self.forget_cached(user_id)
        now = self._clock.epoch()
        await self._db.execute(
            """
            INSERT INTO users (user_id, blocked_at, created_at) VALUES (?, ?, ?)
            ON CONFLICT (user_id) DO UPDATE SET blocked_at = excluded.blocked_at
            """,
            (user_id, now, now),
        )

    def known_member(self, chat_id: int, user_id: int) -> bool:
        """Already recorded as a member this run (no database work needed)."""
        return (chat_id, user_id) in self._members

    async def seen_in_group(
        self, chat_id: int, user_id: int, telegram_language: str | None
    ) -> None:
        """The person wrote (or pressed a button) in the group, so they are in it now.

        Members who were there before the bot are learned this way. A recorded status that
        says more (administrator, restricted) is kept; "left" or "kicked" is corrected.
        """
        if (chat_id, user_id) in self._members:
            return
        now = self._clock.epoch()
        await self._db.execute(
            """
            INSERT INTO users (user_id, telegram_language, created_at) VALUES (?, ?, ?)
            ON CONFLICT (user_id) DO UPDATE SET
                telegram_language = COALESCE(excluded.telegram_language, telegram_language)
            """,
            (user_id, telegram_language, now),
        )
        await self._db.execute(
            """
            INSERT INTO memberships (chat_id, user_id, status, updated_at)
            VALUES (?, ?, 'member', ?)
            ON CONFLICT (chat_id, user_id) DO UPDATE SET
                status = CASE WHEN status IN ('left', 'kicked') THEN 'member' ELSE status END,
                updated_at = excluded.updated_at
            """,
            (chat_id, user_id, now),
        )
        if len(self._members) >= MAX_REMEMBERED:
            self._members.clear()
        self._members.add((chat_id, user_id))

    async def set_membership(
        self,
        chat_id: int,
        user_id: int,
        status: str,
        *,
        joined: bool = False,
        added_by: int | None = None,
    ) -> None:
        """Record a status. ``joined``: the person came in just now (``added_by`` when
        someone else put them there); the join time is known only then (members who were
        there before the bot have none)."""
        self._members.discard((chat_id, user_id))
        now = self._clock.epoch()
        await self._db.execute(
            """
            INSERT INTO memberships (chat_id, user_id, status, updated_at, joined_at, added_by)
            VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (chat_id, user_id) DO UPDATE SET
                status = excluded.status, updated_at = excluded.updated_at,
                joined_at = CASE WHEN ? THEN excluded.joined_at ELSE joined_at END,
                added_by = CASE WHEN ? THEN excluded.added_by ELSE added_by END
            """,
            (
                chat_id,
                user_id,
                status,
                now,
                now if joined else None,
                added_by,
                int(joined),
                int(joined),
            ),
        )

    async def membership(self, chat_id: int, user_id: int) -> Membership | None:
        row = await self._db.fetch_one(
            "SELECT * FROM memberships WHERE chat_id = ? AND user_id = ?", (chat_id, user_id)
        )
        if row is None:
            return None
        return Membership(
            chat_id=row["chat_id"],
            user_id=row["user_id"],
            status=row["status"],
            joined_at=row["joined_at"],
            added_by=row["added_by"],
        )

    async def known_members(self, chat_id: int) -> int:
        """How many people the bot knows to be in the group now."""
        row = await self._db.fetch_one(
            "SELECT COUNT(*) FROM memberships WHERE chat_id = ? "
            "AND status IN ('member', 'administrator', 'creator', 'restricted')",
            (chat_id,),
        )
        return int(row[0]) if row else 0

    async def forget_person(self, user_id: int) -> None:
        """``/forgetme``: the person's record and group memberships go. Their next message
        (privately or in a group) is learned again, as from someone new."""
        self._started.pop(user_id, None)
        self._members = {pair for pair in self._members if pair[1] != user_id}
        await self._db.execute("DELETE FROM memberships WHERE user_id = ?", (user_id,))
        await self._db.execute("DELETE FROM users WHERE user_id = ?", (user_id,))

    async def groups_of(self, user_id: int) -> list[int]:
        """The active groups the person is a member of, as far as the bot has seen."""
        rows = await self._db.fetch_all(
            """
            SELECT m.chat_id FROM memberships m JOIN groups g ON g.chat_id = m.chat_id
            WHERE m.user_id = ? AND g.active = 1
              AND m.status IN ('member', 'administrator', 'creator', 'restricted')
            ORDER BY m.chat_id
            """,
            (user_id,),
        )
        return [int(row["chat_id"]) for row in rows]
