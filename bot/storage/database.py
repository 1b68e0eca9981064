"""The one SQLite connection: opening it, its pragmas, migrations, and small query helpers.

All SQL of Pamoja lives in ``bot/storage``. Repositories (one module per area) get this
``Database`` and return small frozen dataclasses; nothing above the storage layer sees a row.

One writer at a time: handlers, jobs and the outbox worker share the connection, so a
transaction holds a lock from ``BEGIN`` to ``COMMIT``, and every statement from anyone else
(reads too: they would see rows not yet committed) waits for it to end. A ``transaction()``
inside a transaction joins it when it comes from the same task; any other task waits, even one the
transaction's task started (so never await another task's database work while a transaction
is open: it would wait for ever). Never await the network inside a transaction either: every
statement of the bot waits for it.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import importlib.resources
import logging
import os
import re
import sqlite3
import time
from collections.abc import AsyncIterator, Iterable, Iterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from bot.effects import noted

Params = Sequence[Any] | dict[str, Any]
_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
log = logging.getLogger(__name__)
# A statement that goes into every transaction one task commits (see ``commit_with``).
_WITH_COMMIT: contextvars.ContextVar[tuple[asyncio.Task[Any] | None, str, Params] | None] = (
    contextvars.ContextVar("pamoja_with_commit", default=None)
)


@contextlib.contextmanager
def commit_with(sql: str, params: Params) -> Iterator[None]:
    """Within this block, every transaction the running task commits also runs ``sql`` (an
    idempotent write) just before its ``COMMIT``: so the record that an update was carried out
    is saved in the same commit as the change it made, never apart from it. Tasks started
    meanwhile (a job, a delivery) do not carry it, nor does one with ``carries_update=False``.

    So an update's handling commits its change in one transaction, after any bookkeeping:
    everything it commits after its first carrying transaction is lost if the process dies
    in between (the update, recorded, is not carried out again)."""
    token = _WITH_COMMIT.set((asyncio.current_task(), sql, params))
    try:
        yield
    finally:
        _WITH_COMMIT.reset(token)


class SchemaTooNewError(Exception):
    """The database was migrated by a newer Pamoja than this one."""

    def __init__(self, found: int, known: int) -> None:
        super().__init__(f"schema {found}, this build knows up to {known}")
        self.found = found
        self.known = known


def create_private(path: Path) -> None:
    """Create ``path`` empty with mode 0600 if it does not exist (SQLite gives its -wal and
    -shm files the database file's mode, so they are private too)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    os.close(fd)


def copy_database(source: Path | str, target: Path) -> None:
    """A consistent copy of a live database (SQLite's online backup API) into a new file 0600.

    Safe while the bot runs: the copy includes what is still in the ``-wal`` file.
    """
    create_private(target)
    src = sqlite3.connect(Path(source).resolve().as_uri() + "?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
        finally:
            dst.close()
    finally:
        src.close()
    target.chmod(0o600)


def pre_migration_backup(path: Path, found: int, latest: int) -> Path:
    """Copy the database aside before migrating: ``<db>.v<found>-before-v<latest>-<time>.bak``."""
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
    target = path.with_name(f"{path.name}.v{found}-before-v{latest}-{stamp}.bak")
    copy_database(path, target)
    log.info("migrating the database from schema %s to %s: backup first", found, latest)
    return target


def migration_scripts() -> list[tuple[int, str]]:
    """The numbered migrations shipped in ``bot/storage/migrations``, in order."""
    folder = importlib.resources.files("bot.storage") / "migrations"
    found: list[tuple[int, str]] = []
    for entry in folder.iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.read_text(encoding="utf-8")))
    found.sort()
    numbers = [number for number, _ in found]
    if numbers != list(range(1, len(numbers) + 1)):
        raise RuntimeError(f"migrations must be numbered 1..n without gaps, found {numbers}")
    return found


class Database:
    """Owns the aiosqlite connection. Use ``await Database.open(path)`` and ``close()``."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn
        self._lock = asyncio.Lock()
        self._owner: asyncio.Task[Any] | None = None  # the task whose transaction is open

    def _inside(self) -> bool:
        """The caller's task has the transaction open (and so must not wait for it)."""
        owner = self._owner
        return owner is not None and owner is asyncio.current_task()

    @classmethod
    async def open(
        cls, path: Path | str, *, migrate: bool = True, backup_before_migrating: bool = True
    ) -> Database:
        """Open (creating it 0600), refuse a schema newer than this build knows, migrate.

        An existing database is copied aside before any migration touches it.
        """
        on_disk = str(path) != ":memory:"
        if on_disk:
            create_private(Path(path))
        conn = await aiosqlite.connect(str(path), isolation_level=None)
        conn.row_factory = aiosqlite.Row
        db = cls(conn)
        try:
            await conn.execute("PRAGMA busy_timeout = 5000")
            await conn.execute("PRAGMA journal_mode = WAL")
            await conn.execute("PRAGMA foreign_keys = ON")
            await conn.execute("PRAGMA synchronous = NORMAL")
            found = await db.schema_version()
            latest = len(migration_scripts())
            if found > latest:
                raise SchemaTooNewError(found, latest)
            if migrate and found < latest:
                if on_disk and found > 0 and backup_before_migrating:
                    pre_migration_backup(Path(path), found, latest)
                await db.migrate()
        except BaseException:
            await conn.close()
            raise
        return db

    async def close(self) -> None:
        await self._conn.close()

    async def schema_version(self) -> int:
        row = await self.fetch_one("PRAGMA user_version")
        return int(row[0]) if row else 0

    async def migrate(self, scripts: Iterable[tuple[int, str]] | None = None) -> int:
        """Apply every migration above ``PRAGMA user_version``, each one atomically."""
        current = await self.schema_version()
        for number, script in scripts if scripts is not None else migration_scripts():
            if number <= current:
                continue
            async with self._lock:
                await self._run_migration(number, script)
            current = number
        return current

    async def _run_migration(self, number: int, script: str) -> None:
        try:
            await self._conn.executescript(
                f"BEGIN IMMEDIATE;\n{script}\nPRAGMA user_version = {number};\nCOMMIT;"
            )
        except BaseException:
            if self._conn.in_transaction:
                await self._conn.execute("ROLLBACK")
            raise

    def changes(self) -> int:
        """Rows written since the connection opened (the per-message path must add none)."""
        return int(self._conn.total_changes)

    async def fetch_one(self, sql: str, params: Params = ()) -> aiosqlite.Row | None:
        if self._inside():
            return await self._fetch_one(sql, params)
        async with self._lock:
            return await self._fetch_one(sql, params)

    async def fetch_all(self, sql: str, params: Params = ()) -> list[aiosqlite.Row]:
        if self._inside():
            return await self._fetch_all(sql, params)
        async with self._lock:
            return await self._fetch_all(sql, params)

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one statement; returns the new row id for an INSERT, else the rows changed."""
        if self._inside():
            return await self._execute(sql, params)
        async with self._lock:
            return await self._execute(sql, params)

    async def changed(self, sql: str, params: Params = ()) -> int:
        """Run one write; returns the rows it changed, an INSERT's too (an ignored
        ``INSERT OR IGNORE``: 0), read in the same step (no other statement comes between)."""
        if self._inside():
            return await self._changed(sql, params)
        async with self._lock:
            return await self._changed(sql, params)

    # Each of these is one trip to the connection's thread where possible (a statement, then
    # its rows or its row id, then closing its cursor would be three): a trip costs more than
    # most of our statements do.

    async def _fetch_one(self, sql: str, params: Params) -> aiosqlite.Row | None:
        rows = await self._fetch_all(sql, params)
        return rows[0] if rows else None

    async def _fetch_all(self, sql: str, params: Params) -> list[aiosqlite.Row]:
        return list(await self._conn.execute_fetchall(sql, params))

    async def _execute(self, sql: str, params: Params) -> int:
        if sql.lstrip()[:6].upper() == "INSERT":
            noted()
            row = await self._conn.execute_insert(sql, params)
            return int(row[0] or 0) if row is not None else 0
        return await self._changed(sql, params)

    async def _changed(self, sql: str, params: Params) -> int:
        noted()
        async with self._conn.execute(sql, params) as cursor:
            return int(cursor.rowcount)

    @asynccontextmanager
    async def transaction(self, *, carries_update: bool = True) -> AsyncIterator[None]:
        """Group several writes atomically; nobody else's statement runs until it ends.

        Nested use in the same task joins the outer transaction. ``carries_update=False``:
        the commit never carries the id of the update being handled (see ``commit_with``) —
        for what an update's handling notes on the way (a username's digest: written again,
        unchanged, when the update comes again), or a change it makes once by itself
        (``bot.once.change``). Else a kill after it and before the rest of the handling would
        make the update look carried out, and the rest would never happen.
        """
        if self._inside():
            yield
            return
        async with self._lock:
            await self._conn.execute("BEGIN IMMEDIATE")
            self._owner = asyncio.current_task()
            try:
                yield
            except BaseException:
                await self._conn.execute("ROLLBACK")
                raise
            else:
                try:
                    extra = _WITH_COMMIT.get() if carries_update else None
                    if extra is not None and extra[0] is self._owner:
                        await self._conn.execute(extra[1], extra[2])
                    await self._conn.execute("COMMIT")
                except BaseException:
                    if self._conn.in_transaction:
                        await self._conn.execute("ROLLBACK")
                    raise
            finally:
                self._owner = None
