"""A SIGKILL at a chosen point of an update's handling, in-process and without timing.

``crash_at`` makes a call the handling makes (a repository method, say) stop there for ever;
``killed_while_handling`` hands every update Telegram holds to ``carry_out`` (as the poller
does, confirming none), waits until one reached that call, and cancels the handling: what had
committed stays, what had not is rolled back, and nothing after that point runs — as after a
kill. ``restarted`` starts a new application on the same database and lets the ``SafePoller``
take the unconfirmed updates again, skipping those recorded as carried out.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from bot.app import ALLOWED_UPDATES
from bot.once import carry_out
from bot.polling import SafePoller
from tests.support import Harness


async def wait_for(condition: Callable[[], bool], seconds: float = 10.0) -> None:
    async with asyncio.timeout(seconds):
        while not condition():  # noqa: ASYNC110 - the poller works in other tasks
            await asyncio.sleep(0.01)


class Polling:
    def __init__(self, harness: Harness) -> None:
        self.harness = harness
        self.poller = SafePoller(harness.app, ALLOWED_UPDATES, poll_seconds=1, busy_pause=0.05)
        self.stop = asyncio.Event()
        self.task = asyncio.create_task(self.poller.run(self.stop))

    async def finish(self) -> None:
        self.stop.set()
        await asyncio.wait_for(self.task, 10)


class CrashPoint:
    """Where the handling stops: a call of ``name`` on ``owner`` (the first one, or the one
    after ``passing`` calls went through) never returns."""

    def __init__(
        self, monkeypatch: pytest.MonkeyPatch, owner: object, name: str, *, passing: int = 0
    ) -> None:
        self.reached = asyncio.Event()
        self.passing = passing
        original: Callable[..., Awaitable[Any]] = getattr(owner, name)

        async def stuck(*args: Any, **kwargs: Any) -> Any:
            if self.reached.is_set() or self.passing > 0:
                self.passing -= 1
                return await original(*args, **kwargs)
            self.reached.set()
            await asyncio.Event().wait()  # the process died here
            return None

        monkeypatch.setattr(owner, name, stuck)


async def killed_during(crash: CrashPoint, work: Awaitable[object]) -> None:
    """Do ``work`` until ``crash`` is reached, then die there."""
    running = asyncio.ensure_future(work)
    reached = asyncio.create_task(crash.reached.wait())
    await asyncio.wait([reached, running], return_when=asyncio.FIRST_COMPLETED)
    reached.cancel()
    assert crash.reached.is_set(), "the work never reached the crash point"
    running.cancel()
    await asyncio.gather(running, reached, return_exceptions=True)


async def killed_while_handling(harness: Harness, crash: CrashPoint) -> None:
    """Carry out what Telegram holds until ``crash`` is reached, then die there."""
    app = harness.app
    updates = await app.bot.get_updates(timeout=0)  # no offset: nothing is confirmed
    assert updates, "nothing to carry out"
    await killed_during(crash, asyncio.gather(*(carry_out(app, update) for update in updates)))


async def restarted(harness: Harness) -> int:
    """A new application on the same database polls what Telegram still holds; returns how
    many updates it skipped as carried out before the crash."""
    await harness.restart(settle=False)
    polling = Polling(harness)
    await wait_for(lambda: not harness.emu.pending_update_ids())
    await polling.finish()
    await harness.settle()
    return polling.poller.duplicates
