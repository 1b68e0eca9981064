"""One writer at a time: a transaction is never joined, read or ended by another task.

Handlers, jobs and the outbox worker share one connection. These tests run many tasks
against one real database file, each yielding to the others at every await, and check that
every transaction is all or nothing and that nobody else's statement lands inside it.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.storage.database import Database
from bot.storage.store import Store


class Boom(Exception):
    pass


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "tx.sqlite3")
    await database.execute("CREATE TABLE t (txn INTEGER NOT NULL, n INTEGER NOT NULL)")
    try:
        yield database
    finally:
        await database.close()


async def rows(db: Database, txn: int) -> int:
    row = await db.fetch_one("SELECT COUNT(*) FROM t WHERE txn = ?", (txn,))
    assert row is not None
    return int(row[0])


async def test_a_write_of_another_task_survives_a_rollback(db: Database) -> None:
    """Task B writes once while task A's transaction is open; A then rolls back. B's row
    stays (it waited for A and then committed on its own); none of A's rows stay."""
    a_open = asyncio.Event()
    b_sent = asyncio.Event()

    async def a() -> None:
        with contextlib.suppress(Boom):
            async with db.transaction():
                await db.execute("INSERT INTO t VALUES (1, 1)")
                a_open.set()
                await asyncio.sleep(0.01)  # B's write is submitted while A is open
                await db.execute("INSERT INTO t VALUES (1, 2)")
                raise Boom

    async def b() -> None:
        await a_open.wait()
        b_sent.set()
        await db.execute("INSERT INTO t VALUES (2, 1)")

    await asyncio.gather(a(), b())
    assert b_sent.is_set()
    assert await rows(db, 1) == 0
    assert await rows(db, 2) == 1


async def test_a_transaction_of_another_task_is_not_joined(db: Database) -> None:
    """B opens its own transaction while A's is open: it waits, so A's rollback does not
    take B's rows with it, and B's commit does not commit A's half."""
    a_open = asyncio.Event()

    async def a() -> None:
        with contextlib.suppress(Boom):
            async with db.transaction():
                await db.execute("INSERT INTO t VALUES (1, 1)")
                a_open.set()
                for _ in range(5):
                    await asyncio.sleep(0)
                raise Boom

    async def b() -> None:
        await a_open.wait()
        async with db.transaction():
            await db.execute("INSERT INTO t VALUES (2, 1)")
            await db.execute("INSERT INTO t VALUES (2, 2)")

    await asyncio.gather(a(), b())
    assert await rows(db, 1) == 0
    assert await rows(db, 2) == 2


async def test_a_read_does_not_see_rows_not_yet_committed(db: Database) -> None:
    a_open = asyncio.Event()
    seen: list[int] = []

    async def a() -> None:
        with contextlib.suppress(Boom):
            async with db.transaction():
                await db.execute("INSERT INTO t VALUES (1, 1)")
                a_open.set()
                await asyncio.sleep(0.01)
                raise Boom

    async def b() -> None:
        await a_open.wait()
        seen.append(await rows(db, 1))

    await asyncio.gather(a(), b())
    assert seen == [0]


async def test_nested_use_in_one_task_joins_the_outer_transaction(db: Database) -> None:
    with contextlib.suppress(Boom):
        async with db.transaction():
            await db.execute("INSERT INTO t VALUES (1, 1)")
            async with db.transaction():
                await db.execute("INSERT INTO t VALUES (1, 2)")
            assert await rows(db, 1) == 2  # the task reads its own writes
            raise Boom
    assert await rows(db, 1) == 0


async def test_many_tasks_interleaving_keep_every_transaction_whole(db: Database) -> None:
    """Sixty tasks (handlers and jobs alike) run transactions of several writes with a yield
    between each, a third of them failing half way, plus single writes in between. Every
    committed transaction has all its rows, every failed one none, every single write one."""
    rng = random.Random(12)
    failing = {txn for txn in range(1, 61) if rng.random() < 1 / 3}
    size = 4

    async def worker(txn: int) -> None:
        await asyncio.sleep(rng.random() / 200)
        try:
            async with db.transaction():
                for n in range(size):
                    await db.execute("INSERT INTO t VALUES (?, ?)", (txn, n))
                    await asyncio.sleep(0)
                    if txn in failing and n == size // 2:
                        raise Boom
        except Boom:
            pass

    async def single(txn: int) -> None:
        await asyncio.sleep(rng.random() / 200)
        await db.execute("INSERT INTO t VALUES (?, 0)", (txn,))

    await asyncio.gather(
        *(worker(txn) for txn in range(1, 61)), *(single(txn) for txn in range(101, 141))
    )
    for txn in range(1, 61):
        assert await rows(db, txn) == (0 if txn in failing else size), txn
    for txn in range(101, 141):
        assert await rows(db, txn) == 1, txn


async def test_a_cancelled_transaction_leaves_nothing_and_frees_the_connection(
    db: Database,
) -> None:
    started = asyncio.Event()

    async def slow() -> None:
        async with db.transaction():
            await db.execute("INSERT INTO t VALUES (1, 1)")
            started.set()
            await asyncio.sleep(10)

    task = asyncio.create_task(slow())
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert await rows(db, 1) == 0
    async with db.transaction():
        await db.execute("INSERT INTO t VALUES (2, 1)")
    assert await rows(db, 2) == 1


async def test_an_ignored_insert_says_so_even_with_other_writes_between(store: Store) -> None:
    """``changed`` reads the rows a write changed in the same step: another task's write
    cannot come between the INSERT OR IGNORE and the count."""
    db = store.db
    await db.execute("INSERT INTO meta (key, value) VALUES ('test.once', '1')")

    async def other_writes() -> None:
        for number in range(50):
            await db.execute(
                "INSERT INTO meta (key, value) VALUES (?, '1')", (f"test.other.{number}",)
            )

    async def ignored() -> list[int]:
        return [
            await db.changed("INSERT OR IGNORE INTO meta (key, value) VALUES ('test.once', '2')")
            for _ in range(50)
        ]

    _, counts = await asyncio.gather(other_writes(), ignored())
    assert counts == [0] * 50
    assert await db.changed("UPDATE meta SET value = '3' WHERE key = 'test.once'") == 1
