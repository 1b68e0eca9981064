"""``pamoja backup PATH``: a consistent copy of the running bot's database, mode 0600.

SQLite's online backup API copies pages under a read transaction, so the copy is consistent
even while the bot writes, and includes what is still in the ``-wal`` file (copying the
database file alone would miss it). The copy is checked (``PRAGMA integrity_check``) before it
gets its final name, so a file called a backup is one.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from bot.ops import OpsError
from bot.storage.database import copy_database


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    size: int
    schema: int


def inspect(path: Path) -> tuple[str, int]:
    """``(integrity_check result, schema version)`` of a database file, opened read-only."""
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        integrity = str(conn.execute("PRAGMA integrity_check").fetchone()[0])
        schema = int(conn.execute("PRAGMA user_version").fetchone()[0])
    except sqlite3.DatabaseError as error:
        return f"not a database ({error})", 0
    finally:
        conn.close()
    return integrity, schema


def backup(database: Path, target: Path) -> BackupInfo:
    """Copy ``database`` to ``target`` (a new file, or a folder to put a dated file in)."""
    if not database.is_file():
        raise OpsError(f"There is no database at {database}: check PAMOJA_DATABASE_PATH.")
    if target.is_dir():
        stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        target = target / f"pamoja-{stamp}.sqlite3"
    if target.exists():
        raise OpsError(f"{target} already exists: name a new file (a backup never overwrites).")
    if not target.parent.is_dir():
        raise OpsError(f"The folder {target.parent} does not exist: create it first.")
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        copy_database(database, partial)
        integrity, schema = inspect(partial)
        if integrity != "ok":
            raise OpsError(f"The copy failed its integrity check ({integrity}); nothing kept.")
        partial.replace(target)
    except sqlite3.Error as error:
        raise OpsError(f"Could not copy {database}: {error}.") from None
    finally:
        partial.unlink(missing_ok=True)
    return BackupInfo(path=target, size=target.stat().st_size, schema=schema)
