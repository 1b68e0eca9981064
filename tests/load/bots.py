"""What the load tests share: the real bot with its rate limiter against an emulator that
keeps Telegram's flood limits, and feeding updates to the processor as PTB's fetcher does."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from bot.adapters.ratelimit import PamojaRateLimiter
from bot.once import carry_out
from bot.timeutil import ManualClock
from emulator import Emulator, GroupHandle
from tests.conftest import DEFAULT_TOKEN, make_settings
from tests.support import Harness


@asynccontextmanager
async def limited_bot(
    tmp_path: Path, clock: ManualClock, limiter: PamojaRateLimiter
) -> AsyncIterator[Harness]:
    """The bot with ``limiter``; fails if it logged errors or drew a 429."""
    settings = make_settings(tmp_path, telegram_token=DEFAULT_TOKEN)
    # Telegram counts its limits in real time, as the bot's limiter does (the test's clock
    # stands still unless moved, which would make every second the same second).
    started = time.monotonic()
    emu = Emulator(
        DEFAULT_TOKEN,
        clock=lambda: clock.epoch() + time.monotonic() - started,
        enforce_flood_limits=True,
    )
    running = Harness(settings, clock, emu)
    running.limiter = limiter
    await running.boot()
    try:
        yield running
    finally:
        await running.halt()
    assert [r.getMessage() for r in running.errors] == []
    assert emu.flood_refusals == 0


async def spend_budget(h: Harness, group: GroupHandle) -> None:
    """Send into the group until its budget for this minute is gone (as a burst would)."""
    limiter = h.limiter
    assert limiter is not None
    while limiter.group_has_room(group.id):
        await h.app.bot.send_message(group.id, "…")


def feed(h: Harness) -> list[asyncio.Task[None]]:
    """Hand every waiting update over at once, as the bot's poller does (``carry_out``: the
    update processor, the record of updates carried out)."""
    app = h.app
    return [asyncio.create_task(carry_out(app, raw)) for raw in h.emu.take_updates()]


async def until(condition: Callable[[], bool], tasks: list[asyncio.Task[None]]) -> None:
    """Let the bot work until ``condition()`` holds (a guard against hanging, not a timing:
    the group's budget comes back only after a minute, far beyond it)."""
    for _ in range(2000):
        if condition():
            return
        await asyncio.sleep(0.005)
    raise AssertionError("the bot never got there")


async def stop(tasks: list[asyncio.Task[None]]) -> None:
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
