"""The storage facade: one database, one repository per area, the field cipher."""

from __future__ import annotations

from pathlib import Path

from bot.crypto import DecryptionError, FieldCipher
from bot.storage.audit import AuditRepo
from bot.storage.awaiting import AwaitingRepo
from bot.storage.circle import CircleRepo
from bot.storage.circle_ledger import LedgerRepo
from bot.storage.database import Database
from bot.storage.groups import GroupRepo
from bot.storage.learning import LearningRepo
from bot.storage.moderation import ModerationRepo
from bot.storage.rules import RulesRepo
from bot.storage.scheduled import ScheduledRepo
from bot.storage.talk import TalkRepo
from bot.storage.users import UserRepo
from bot.timeutil import Clock

_KEY_CHECK = "key_check"
_KEY_CHECK_CONTEXT = "meta.key_check"
_KEY_CHECK_VALUE = "pamoja"


class WrongDataKeyError(Exception):
    """The database was written with a different PAMOJA_DATA_KEY."""


class Store:
    def __init__(self, db: Database, cipher: FieldCipher, clock: Clock) -> None:
        self.db = db
        self.cipher = cipher
        self.clock = clock
        self.groups = GroupRepo(db, clock)
        self.users = UserRepo(db, clock)
        self.scheduled = ScheduledRepo(db, clock)
        self.audit = AuditRepo(db, cipher, clock)
        self.moderation = ModerationRepo(db, cipher, clock)
        self.rules = RulesRepo(db, clock)
        self.circle = CircleRepo(db, cipher, clock)
        self.ledger = LedgerRepo(db, cipher, clock)
        self.talk = TalkRepo(db, cipher, clock)
        self.awaiting = AwaitingRepo(db, clock)
        self.learning = LearningRepo(db, clock)

    @classmethod
    async def open(cls, path: Path | str, cipher: FieldCipher, clock: Clock) -> Store:
        db = await Database.open(path)
        store = cls(db, cipher, clock)
        try:
            await store._check_key()
        except BaseException:
            await db.close()
            raise
        return store

    async def close(self) -> None:
        await self.db.close()

    async def purge_expired(self, before: int) -> int:
        """Delete records no longer needed that finished before ``before`` (retention)."""
        removed = await self.scheduled.purge_finished(before)
        removed += await self.talk.purge(before)
        removed += await self.ledger.purge(before)
        removed += await self.rules.purge(before)
        removed += await self.awaiting.purge(before)
        return removed

    async def _check_key(self) -> None:
        """Refuse to run with a key other than the one the data was written with."""
        row = await self.db.fetch_one("SELECT value FROM meta WHERE key = ?", (_KEY_CHECK,))
        if row is None:
            token = self.cipher.encrypt(_KEY_CHECK_VALUE, _KEY_CHECK_CONTEXT).hex()
            await self.db.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?)", (_KEY_CHECK, token)
            )
            return
        try:
            self.cipher.decrypt(bytes.fromhex(row["value"]), _KEY_CHECK_CONTEXT)
        except (DecryptionError, ValueError):
            raise WrongDataKeyError from None
