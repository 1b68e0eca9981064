"""Backups, restores, migrations and the schema guard, on real SQLite files."""

from __future__ import annotations

import base64
import sqlite3
from pathlib import Path

import pytest

from bot.crypto import FieldCipher
from bot.ops import OpsError
from bot.ops.backup import backup
from bot.ops.restore import restore
from bot.ops.runlock import RunLock
from bot.storage.database import Database, SchemaTooNewError, migration_scripts
from bot.storage.store import Store
from bot.timeutil import ManualClock
from tests.conftest import TEST_KEY

OTHER_KEY = base64.urlsafe_b64encode(b"o" * 32).decode()


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


async def test_database_is_created_private(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "new" / "pamoja.sqlite3")
    await db.execute("INSERT INTO meta (key, value) VALUES ('x', 'y')")
    try:
        assert mode(tmp_path / "new" / "pamoja.sqlite3") == 0o600
        assert mode(tmp_path / "new" / "pamoja.sqlite3-wal") == 0o600
    finally:
        await db.close()


async def test_online_backup_includes_the_wal_and_restore_checks_first(tmp_path: Path) -> None:
    live = tmp_path / "pamoja.sqlite3"
    cipher = FieldCipher(TEST_KEY)
    store = await Store.open(live, cipher, ManualClock(start=1_790_000_000))
    try:
        await store.circle.set_help_text(1, "before the backup")
        # The bot is running: the row is in the -wal file, not yet in the database file.
        assert (tmp_path / "pamoja.sqlite3-wal").stat().st_size > 0
        naive = tmp_path / "copied.sqlite3"
        naive.write_bytes(live.read_bytes())
        conn = sqlite3.connect(naive)
        assert conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0] == 0
        conn.close()
        info = backup(live, tmp_path)
        assert info.path.name.startswith("pamoja-") and mode(info.path) == 0o600
        with pytest.raises(OpsError, match="never overwrites"):
            backup(live, info.path)
        await store.circle.set_help_text(1, "after the backup")
        with RunLock(live), pytest.raises(OpsError, match="stop it"):
            await restore(live, info.path, cipher)
    finally:
        await store.close()

    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"not a database at all" * 100)
    with pytest.raises(OpsError, match="not a sound"):
        await restore(live, broken, cipher)
    with pytest.raises(OpsError, match="another key"):
        await restore(live, info.path, FieldCipher(OTHER_KEY))

    restored = await restore(live, info.path, cipher)
    assert restored.replaced is not None and restored.replaced.exists()
    assert mode(live) == 0o600
    store = await Store.open(live, cipher, ManualClock())
    try:
        assert (await store.circle.profile(1)).help_text == "before the backup"
    finally:
        await store.close()


@pytest.mark.parametrize("start", range(len(migration_scripts())))
async def test_migrates_from_every_earlier_version(tmp_path: Path, start: int) -> None:
    scripts = migration_scripts()
    path = tmp_path / "old.sqlite3"
    old = await Database.open(path, migrate=False)
    await old.migrate(scripts[:start])
    if start:
        await old.execute("INSERT INTO meta (key, value) VALUES ('kept', 'yes')")
    await old.close()

    db = await Database.open(path)
    try:
        assert await db.schema_version() == len(scripts)
        if start:
            row = await db.fetch_one("SELECT value FROM meta WHERE key = 'kept'")
            assert row is not None and row["value"] == "yes"
        schema = await db.fetch_all("SELECT type, name, sql FROM sqlite_master ORDER BY name")
    finally:
        await db.close()
    fresh = await Database.open(tmp_path / "fresh.sqlite3")
    expected = await fresh.fetch_all("SELECT type, name, sql FROM sqlite_master ORDER BY name")
    await fresh.close()
    assert [tuple(r) for r in schema] == [tuple(r) for r in expected]
    backups = list(tmp_path.glob(f"old.sqlite3.v{start}-before-v{len(scripts)}-*.bak"))  # noqa: ASYNC240
    assert len(backups) == (1 if start else 0)  # an empty new file needs no backup
    if backups:
        assert mode(backups[0]) == 0o600
        conn = sqlite3.connect(backups[0])
        assert conn.execute("PRAGMA user_version").fetchone()[0] == start
        conn.close()


async def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "newer.sqlite3"
    db = await Database.open(path)
    known = await db.schema_version()
    await db.execute(f"PRAGMA user_version = {known + 1}")
    await db.close()
    with pytest.raises(SchemaTooNewError):
        await Database.open(path)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == known + 1  # untouched
    conn.close()
