"""The poller's window: Telegram returns at most 100 updates from the oldest one not yet
confirmed, so one update still being handled keeps those after the first 100 out of sight.
The poller says so in the log when that lasts (ids only), and catches up once it finishes."""

from __future__ import annotations

import asyncio
import logging

import pytest
from telegram import Update
from telegram.ext import ApplicationHandlerStop, TypeHandler

from bot.app import ALLOWED_UPDATES
from bot.context import Context
from bot.polling import WINDOW, SafePoller
from tests.support import Harness


async def test_a_full_window_is_logged_and_caught_up(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    emu = harness.emu
    released = asyncio.Event()

    async def hold(update: object, _context: Context) -> None:
        message = update.effective_message if isinstance(update, Update) else None
        if message is not None and message.text == "/rules":
            await released.wait()
            raise ApplicationHandlerStop

    harness.app.add_handler(TypeHandler(Update, hold), group=-100)
    owner, member, amina = harness.user("Wanjiru"), harness.user("Chege"), harness.user("Amina")
    group = await harness.group("Circle A", owner=owner, members=[member])
    emu.start_bot(amina)
    emu.send(amina, amina, "/rules")  # held: it keeps the offset
    for number in range(WINDOW + 20):
        emu.send(group, member, f"message {number}")
    poller = SafePoller(harness.app, ALLOWED_UPDATES, busy_pause=0.02, full_window_warning=0.2)
    stop = asyncio.Event()
    caplog.set_level(logging.WARNING, logger="bot.polling")
    task = asyncio.create_task(poller.run(stop))
    try:
        async with asyncio.timeout(10):
            while poller.handled < WINDOW or not poller.full_window_warnings:  # noqa: ASYNC110
                await asyncio.sleep(0.02)
        await asyncio.sleep(0.3)
        assert poller.handled == WINDOW  # the start and 99 messages; the last 21 out of sight
        warned = [
            r.getMessage() for r in caplog.records if "still being handled" in r.getMessage()
        ]
        assert warned and all("Amina" not in line and "/rules" not in line for line in warned)
        released.set()
        async with asyncio.timeout(10):
            while emu.pending_update_ids():  # noqa: ASYNC110
                await asyncio.sleep(0.02)
        assert poller.handled == WINDOW + 22
    finally:
        released.set()
        stop.set()
        await asyncio.wait_for(task, 30)


async def test_an_update_cut_short_at_a_stop_is_not_confirmed(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At a stop, what runs gets ``DRAIN_SECONDS`` to finish; one cut short then was never
    carried out, so Telegram must send it again: it is not confirmed."""
    emu = harness.emu
    began = asyncio.Event()

    async def slow(update: object, _context: Context) -> None:
        message = update.effective_message if isinstance(update, Update) else None
        if message is not None and message.text == "/rules":
            began.set()
            await asyncio.sleep(30)

    harness.app.add_handler(TypeHandler(Update, slow), group=-100)
    amina = harness.user("Amina")
    emu.start_bot(amina)
    await harness.settle()
    emu.send(amina, amina, "/rules")
    monkeypatch.setattr("bot.polling.DRAIN_SECONDS", 0.1)
    poller = SafePoller(harness.app, ALLOWED_UPDATES, poll_seconds=1)
    stop = asyncio.Event()
    task = asyncio.create_task(poller.run(stop))
    async with asyncio.timeout(10):
        await began.wait()
    stop.set()
    await asyncio.wait_for(task, 10)
    assert len(emu.pending_update_ids()) == 1  # sent again after the restart
    assert poller.handled == 0
