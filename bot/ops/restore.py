"""``pamoja restore PATH``: put a backup in place of the database, after checking it.

Refuses while the bot runs (the run lock). Checks, before touching anything: the file is an
SQLite database that passes ``PRAGMA integrity_check``, its schema is not newer than this build
knows, and ``PAMOJA_DATA_KEY`` opens it (a backup made under another key would leave every
encrypted field unreadable). The database it replaces is kept beside it, not deleted.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from bot.crypto import FieldCipher
from bot.ops import OpsError
from bot.ops.backup import inspect
from bot.ops.runlock import RunLock
from bot.storage.database import Database, copy_database, migration_scripts
from bot.storage.store import MissingOldKeyError, WrongDataKeyError, check_data_key


@dataclass(frozen=True)
class RestoreInfo:
    schema: int
    replaced: Path | None


def _check_file(path: Path) -> int:
    if not path.is_file():
        raise OpsError(f"There is no file at {path}.")
    integrity, schema = inspect(path)
    if integrity != "ok":
        raise OpsError(f"{path} is not a sound Pamoja database ({integrity}); nothing changed.")
    known = len(migration_scripts())
    if schema > known:
        raise OpsError(
            f"{path} was written by a newer Pamoja (schema {schema}, this one knows {known}): "
            "upgrade Pamoja first; nothing changed."
        )
    return schema


async def _check_key(path: Path, shown: Path, cipher: FieldCipher) -> None:
    db = await Database.open(path, migrate=False)
    try:
        await check_data_key(db, cipher, record=False)
    except MissingOldKeyError:
        raise OpsError(
            f"{shown} still has data under a key that PAMOJA_DATA_KEY no longer lists: add the "
            "old key after the new one; nothing changed."
        ) from None
    except WrongDataKeyError:
        raise OpsError(
            f"PAMOJA_DATA_KEY does not open {shown} (it was made under another key): set the key "
            "it was made with; nothing changed."
        ) from None
    finally:
        await db.close()


async def restore(database: Path, source: Path, cipher: FieldCipher) -> RestoreInfo:
    """Check ``source``, then make it the database; the old database is kept as a ``.bak``."""
    schema = _check_file(source)
    with RunLock(database, what="a restore"):
        staged = database.with_name(f".{database.name}.restoring")
        staged.unlink(missing_ok=True)
        try:
            copy_database(source, staged)  # the key check opens the copy, never the original
            await _check_key(staged, source, cipher)
            replaced: Path | None = None
            if database.exists():  # noqa: ASYNC240 - a one-shot command, alone on its loop
                stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
                replaced = database.with_name(f"{database.name}.replaced-{stamp}.bak")
                copy_database(database, replaced)
            for suffix in ("-wal", "-shm"):
                database.with_name(database.name + suffix).unlink(missing_ok=True)
            staged.replace(database)
        finally:
            for name in (staged, *(staged.with_name(staged.name + s) for s in ("-wal", "-shm"))):
                name.unlink(missing_ok=True)
    return RestoreInfo(schema=schema, replaced=replaced)
