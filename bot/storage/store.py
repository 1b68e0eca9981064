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
from bot.storage.handled import HandledRepo
from bot.storage.handles import HandleRepo
from bot.storage.held import HeldRepo
from bot.storage.kindwords import KindWordsRepo
from bot.storage.learning import LearningRepo
from bot.storage.moderation import ModerationRepo
from bot.storage.outbox import OutboxRepo
from bot.storage.peers import PeersRepo
from bot.storage.rules import RulesRepo
from bot.storage.scheduled import ScheduledRepo
from bot.storage.sessions import SessionRepo
from bot.storage.stats import StatsRepo
from bot.storage.talk import TalkRepo
from bot.storage.users import UserRepo
from bot.timeutil import Clock

_KEY_CHECK = "key_check"
_KEY_CHECK_CONTEXT = "meta.key_check"
_KEY_CHECK_VALUE = "pamoja"
# Which key (and form) the keyed digests are made with, and which keys may still have
# ciphertexts in the database (comma-separated; "legacy:<kid>" for the first form).
DIGEST_SCHEME = "digest_scheme"
KEYS_IN_USE = "key_ids"


class WrongDataKeyError(Exception):
    """The database was written with a different PAMOJA_DATA_KEY."""


class MissingOldKeyError(WrongDataKeyError):
    """PAMOJA_DATA_KEY has the right key first but lacks an old one the data still needs."""


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
        self.held = HeldRepo(db, cipher, clock)
        self.handles = HandleRepo(db, cipher, clock)
        self.sessions = SessionRepo(db, cipher, clock)
        self.stats = StatsRepo(db)
        self.outbox = OutboxRepo(db, cipher, clock)
        self.peers = PeersRepo(db, cipher, clock)
        self.handled = HandledRepo(db, clock)
        self.kindwords = KindWordsRepo(db, cipher, clock)

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
        removed += await self.held.purge(before)
        removed += await self.moderation.purge(before)
        removed += await self.moderation.purge_features(before)
        removed += await self.peers.purge(before)
        removed += await self.kindwords.purge(before)
        return removed

    async def _check_key(self) -> None:
        """Refuse to run with a key other than the one the data was written with.

        Also sets the cipher's digest scheme to the database's, and records the current key as
        in use (new values are written with it). A key list that lacks a key the data still
        needs raises ``MissingOldKeyError``.
        """
        await check_data_key(self.db, self.cipher)


async def _meta(db: Database, key: str) -> str | None:
    row = await db.fetch_one("SELECT value FROM meta WHERE key = ?", (key,))
    return None if row is None else str(row["value"])


async def _set_meta(db: Database, key: str, value: str) -> None:
    await db.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


async def check_data_key(db: Database, cipher: FieldCipher, *, record: bool = True) -> set[str]:
    """Check ``cipher``'s keys against the database; the key ids the data uses.

    With ``record=False`` nothing is written (for checking a backup before restoring it).
    """
    token = await _meta(db, _KEY_CHECK)
    if token is None:
        if record:
            await _set_meta(
                db, _KEY_CHECK, cipher.encrypt(_KEY_CHECK_VALUE, _KEY_CHECK_CONTEXT).hex()
            )
            await _set_meta(db, DIGEST_SCHEME, cipher.digest_scheme)
            await _set_meta(db, KEYS_IN_USE, cipher.current_scheme)
        return {cipher.current_scheme}
    scheme = await _meta(db, DIGEST_SCHEME)
    in_use_text = await _meta(db, KEYS_IN_USE)
    try:
        blob = bytes.fromhex(token)
        cipher.decrypt(blob, _KEY_CHECK_CONTEXT)
    except (DecryptionError, ValueError):
        if cipher.current_scheme in (in_use_text or "").split(","):
            raise MissingOldKeyError from None  # the new key is known here; an old one is not
        raise WrongDataKeyError from None
    if scheme is None or in_use_text is None:
        # Written before key rotation existed: everything is in the first form, one key.
        legacy = f"legacy:{cipher.legacy_key_id(blob, _KEY_CHECK_CONTEXT)}"
        scheme = scheme or legacy
        in_use_text = in_use_text or legacy
    in_use = {kid for kid in in_use_text.split(",") if kid}
    if not all(cipher.has_key(kid.rpartition(":")[2]) for kid in in_use | {scheme}):
        raise MissingOldKeyError
    cipher.use_digests(scheme)
    if record:
        await _set_meta(db, DIGEST_SCHEME, scheme)
        in_use.add(cipher.current_scheme)
        await _set_meta(db, KEYS_IN_USE, ",".join(sorted(in_use)))
    return in_use
