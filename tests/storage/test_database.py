"""Storage on real SQLite files: pragmas, migrations, forward migration without data loss."""

from __future__ import annotations

import base64
from pathlib import Path

import aiosqlite
import pytest

from bot.crypto import FieldCipher
from bot.records.groups import BotRights
from bot.storage.database import Database, migration_scripts
from bot.storage.store import Store, WrongDataKeyError
from bot.timeutil import ManualClock
from tests.conftest import TEST_KEY

RIGHTS = BotRights(is_admin=True, can_restrict=True, can_delete=True, can_invite=False)


async def test_pragmas_and_version(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "a.sqlite3")
    try:
        assert (await db.fetch_one("PRAGMA journal_mode"))[0] == "wal"
        assert (await db.fetch_one("PRAGMA foreign_keys"))[0] == 1
        assert (await db.fetch_one("PRAGMA busy_timeout"))[0] == 5000
        assert await db.schema_version() == len(migration_scripts())
    finally:
        await db.close()


async def test_reopening_is_idempotent(tmp_path: Path) -> None:
    for _ in range(2):
        db = await Database.open(tmp_path / "a.sqlite3")
        await db.close()
    db = await Database.open(tmp_path / "a.sqlite3")
    try:
        assert await db.schema_version() == len(migration_scripts())
    finally:
        await db.close()


async def test_old_database_migrates_forward_keeping_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    scripts = migration_scripts()
    db = await Database.open(path, migrate=False)
    await db.migrate(scripts[:1])
    await db.execute(
        "INSERT INTO groups (chat_id, title, created_at, updated_at) VALUES (-1001, 'Old', 1, 1)"
    )
    await db.execute("INSERT INTO users (user_id, created_at) VALUES (42, 1)")
    await db.close()

    store = await Store.open(path, FieldCipher(TEST_KEY), ManualClock())
    try:
        assert await store.db.schema_version() == len(scripts)
        group = await store.groups.get(-1001)
        assert group is not None and group.title == "Old"
        assert await store.users.get(42) is not None
    finally:
        await store.close()


async def test_failed_migration_is_rolled_back(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "b.sqlite3")
    version = await db.schema_version()
    broken = [(version + 1, "CREATE TABLE half_done (x INTEGER);\nTHIS IS NOT SQL;")]
    try:
        with pytest.raises(aiosqlite.OperationalError):
            await db.migrate(broken)
        assert await db.schema_version() == version
        assert (
            await db.fetch_one("SELECT name FROM sqlite_master WHERE name = 'half_done'") is None
        )
    finally:
        await db.close()


async def test_wrong_data_key_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    store = await Store.open(path, FieldCipher(TEST_KEY), ManualClock())
    await store.close()
    other = FieldCipher(base64.urlsafe_b64encode(b"k" * 32).decode())
    with pytest.raises(WrongDataKeyError):
        await Store.open(path, other, ManualClock())


async def test_group_record_follows_rights(store: Store) -> None:
    group = await store.groups.upsert(-100123, "Peer Group", RIGHTS)
    assert group.rights.missing == ("can_invite",)
    assert not group.registered
    await store.groups.mark_registered(-100123)
    await store.groups.update_setting(-100123, "language", "sw")
    again = await store.groups.upsert(-100123, "Renamed", BotRights(True, True, True, True))
    assert again.registered and again.language == "sw" and again.title == "Renamed"
    assert again.rights.missing == ()
    await store.groups.set_inactive(-100123)
    assert [g.chat_id for g in await store.groups.active()] == []
    with pytest.raises(ValueError):
        await store.groups.update_setting(-100123, "title; DROP TABLE groups", "x")


async def test_audit_detail_is_encrypted_and_anonymisable(store: Store, tmp_path: Path) -> None:
    await store.audit.record("warn", chat_id=-1, actor_id=7, target_id=9, detail="rude words xyz")
    raw = (tmp_path / "store.sqlite3").read_bytes()
    assert b"rude words xyz" not in raw
    entries = await store.audit.recent(-1)
    assert entries[0].detail == "rude words xyz"
    await store.audit.anonymise_person(9)
    entry = (await store.audit.recent(-1))[0]
    assert entry.target_id is None and entry.detail is None and entry.action == "warn"


async def test_pending_work_of_an_older_version_keeps_its_handler(tmp_path: Path) -> None:
    """Migration 7 renames scheduled-action kinds to "feature.what": rows written by the
    version before it are still found by the handler that now owns them."""
    path = tmp_path / "v6.sqlite3"
    db = await Database.open(path, migrate=False)
    await db.migrate(migration_scripts()[:6])
    old = {
        "rules_reminder": "rules_reminder:-1001:99",
        "rules_request_expiry": "rules_request_expiry:5",
        "mod.exclusion_end": "mod.end:3",
        "circlejob.outbox": "circlejob.outbox:7",
        "talk_idle": None,
    }
    for kind, key in old.items():
        await db.execute(
            "INSERT INTO scheduled_actions (kind, due_at, payload, dedupe_key, created_at) "
            "VALUES (?, 1, '{}', ?, 1)",
            (kind, key),
        )
    await db.migrate()
    rows = await db.fetch_all("SELECT kind, dedupe_key FROM scheduled_actions ORDER BY id")
    await db.close()
    assert [(r["kind"], r["dedupe_key"]) for r in rows] == [
        ("rules.reminder", "rules.reminder:-1001:99"),
        ("rules.request_expiry", "rules.request_expiry:5"),
        ("moderation.exclusion_end", "mod.end:3"),
        ("circle.outbox", "circle.outbox:7"),
        ("talk.idle", None),
    ]
