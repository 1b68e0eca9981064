"""Critical messages first: a member's "I need support now" leaves while a broadcast of
reminders is still queued, and a burst of joins spends one or two of the group's sends.

The real Application and rate limiter against the emulator with Telegram's flood limits on.
The limiter's overall budget is made small and slow (6 sends a minute instead of 30 a second)
so the broadcast really waits for budget while the test looks: ordering, not timings.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.adapters.ratelimit import PamojaRateLimiter
from bot.delivery import outbox
from bot.timeutil import ManualClock
from tests.load.bots import feed, limited_bot, stop, until
from tests.support import Harness

BROADCAST = 12


@pytest.fixture
async def slow_budget(tmp_path: Path, clock: ManualClock) -> AsyncIterator[Harness]:
    limiter = PamojaRateLimiter(overall_per_second=6, overall_period=60.0)
    async with limited_bot(tmp_path, clock, limiter) as running:
        yield running


async def test_support_now_leaves_before_a_queued_broadcast(slow_budget: Harness) -> None:
    h = slow_budget
    limiter = h.limiter
    assert limiter is not None
    member = h.user("Amani")
    await h.start(member)
    readers = [h.user(f"Reader {n}") for n in range(BROADCAST)]
    for reader in readers:
        h.emu.start_bot(reader)
    h.emu.take_updates()  # they pressed START; the bot need not answer for this test

    app = h.app
    rows = [
        await outbox.enqueue(app, reader.id, "A gentle reminder of our rules.", kind="reminder")
        for reader in readers
    ]
    broadcast = [asyncio.create_task(outbox.deliver_now(app, row)) for row in rows]
    tasks: list[asyncio.Task[None]] = []
    try:

        def reached() -> int:
            return sum(1 for reader in readers if h.said(reader))

        # Every reminder has either arrived or is waiting for budget (some are).
        await until(lambda: limiter.waiting > 0 and limiter.waiting + reached() == BROADCAST, [])
        still_waiting, before = limiter.waiting, len(h.said(member))
        h.emu.send(member, member, "/supportnow")
        tasks = feed(h)
        await until(lambda: all(task.done() for task in tasks), tasks)
        assert len(h.said(member)) == before + 1  # the support message arrived ...
        assert limiter.waiting == still_waiting  # ... while the broadcast still waits
        assert reached() == BROADCAST - still_waiting
    finally:
        await stop(tasks)
        for task in broadcast:
            task.cancel()
        await asyncio.gather(*broadcast, return_exceptions=True)


async def test_a_lane_is_kept_for_critical_sends_when_bulk_has_spent_its_share(
    slow_budget: Harness,
) -> None:
    """The broadcast stops at its share of the budget: the critical lane still has room."""
    h = slow_budget
    limiter = h.limiter
    assert limiter is not None
    readers = [h.user(f"Reader {n}") for n in range(BROADCAST)]
    for reader in readers:
        h.emu.start_bot(reader)
    h.emu.take_updates()
    app = h.app
    rows = [
        await outbox.enqueue(app, reader.id, "Your check-in.", kind="checkin")
        for reader in readers
    ]
    broadcast = [asyncio.create_task(outbox.deliver_now(app, row)) for row in rows]
    try:
        await until(lambda: limiter.waiting == BROADCAST - 5, [])
        assert sum(1 for reader in readers if h.said(reader)) == 5
    finally:
        for task in broadcast:
            task.cancel()
        await asyncio.gather(*broadcast, return_exceptions=True)
