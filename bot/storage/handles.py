"""People named by their @username: a keyed one-way digest of the lower-cased username and the
id it belongs to, so that ``/warn @name`` finds someone the bot has seen. No username is stored
(it cannot be read back from the digest); a changed username replaces the old digest."""

from __future__ import annotations

from bot.crypto import FieldCipher
from bot.storage.database import Database
from bot.timeutil import Clock

PURPOSE = "user.handle"
MAX_REMEMBERED = 200_000


class HandleRepo:
    def __init__(self, db: Database, cipher: FieldCipher, clock: Clock) -> None:
        self._db = db
        self._cipher = cipher
        self._clock = clock
        # The username last written for each person this run (in memory only): seeing them
        # again costs nothing, not even a digest.
        self._known: dict[int, str] = {}

    def _digest(self, username: str) -> str:
        return self._cipher.digest(username.lstrip("@").lower(), PURPOSE)

    async def remember(self, user_id: int, username: str | None) -> None:
        """The person is called ``@username`` on Telegram now (None: they have no username)."""
        if username is None:
            if self._known.pop(user_id, "") != "":
                await self.forget_person(user_id)
            return
        name = username.lower()
        if self._known.get(user_id) == name:
            return
        digest = self._digest(name)
        # Noted on the way through an update (written again if the update comes again).
        async with self._db.transaction(carries_update=False):
            await self._db.execute(
                "DELETE FROM user_handles WHERE user_id = ? AND digest != ?", (user_id, digest)
            )
            await self._db.execute(
                "INSERT INTO user_handles (digest, user_id, seen_at) VALUES (?, ?, ?) "
                "ON CONFLICT (digest) DO UPDATE SET user_id = excluded.user_id, "
                "seen_at = excluded.seen_at",
                (digest, user_id, self._clock.epoch()),
            )
        if len(self._known) >= MAX_REMEMBERED:
            self._known.clear()
        self._known[user_id] = name

    async def find(self, username: str) -> int | None:
        """The id of the person last seen with this username, if the bot has seen them."""
        row = await self._db.fetch_one(
            "SELECT user_id FROM user_handles WHERE digest = ?", (self._digest(username),)
        )
        return int(row["user_id"]) if row else None

    async def known(self, user_id: int) -> bool:
        """Whether a digest of the person's @username is kept (for /mydata)."""
        row = await self._db.fetch_one(
            "SELECT 1 FROM user_handles WHERE user_id = ? LIMIT 1", (user_id,)
        )
        return row is not None

    async def forget_person(self, user_id: int) -> None:
        self._known.pop(user_id, None)
        await self._db.execute("DELETE FROM user_handles WHERE user_id = ?", (user_id,))
