"""An update python-telegram-bot cannot read is skipped and counted, not fetched for ever.

The bot's own polling loop (``SafePoller``, as in production) runs against the emulator.
Telegram sends an update of a shape the library does not know (here: a message whose
``entities`` is not a list, as a newer Bot API might change a field), then a person asks for
/help. Were the whole answer read at once (as ``Bot.get_updates`` does), the library would fail
on it, the loop would ask again with the same offset, and the bot would stall in a tight loop;
each update is read on its own where it is carried out, so /help is answered at once, the
update is counted, and the log names it by id only.
"""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.app import ALLOWED_UPDATES
from bot.logs import install_privacy, uninstall_privacy
from bot.polling import SafePoller
from tests.reliability.fuzzing import report
from tests.support import Harness


async def _answered(harness: Harness, chat_id: int, before: int, within: float) -> bool:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while loop.time() < deadline:
        if len(harness.emu.bot_messages(chat_id)) > before:
            return True
        await asyncio.sleep(0.02)
    return False


async def test_an_unreadable_update_is_skipped_and_counted(
    harness: Harness, caplog: pytest.LogCaptureFixture, request: pytest.FixtureRequest
) -> None:
    caplog.set_level(logging.DEBUG)  # even the library's debug lines, as production cleans them
    install_privacy()
    request.addfinalizer(uninstall_privacy)
    amina = harness.user("Amina")
    await harness.start(amina)
    before = len(harness.emu.bot_messages(amina))
    app = harness.app
    emu = harness.emu
    emu.deliver_raw(
        "message",
        {
            "message_id": 99,
            "date": int(emu.now()),
            "chat": {"id": amina.id, "type": "private", "first_name": "Amina"},
            "from": {"id": amina.id, "is_bot": False, "first_name": "Amina"},
            "text": "my words",
            "entities": "not a list",
        },
    )
    emu.send(amina, amina, "/help")
    calls_before = len(emu.calls_to("getUpdates"))
    await app.start()
    stop = asyncio.Event()
    poller = SafePoller(app, ALLOWED_UPDATES, poll_seconds=1)
    polling = asyncio.create_task(poller.run(stop))
    try:
        answered = await _answered(harness, amina.id, before, within=5.0)
        fetches = len(emu.calls_to("getUpdates")) - calls_before
    finally:
        stop.set()
        await polling
        await app.stop()
    sample = app.bot_data.ops.metrics.registry.get_sample_value("pamoja_updates_skipped_total")
    report(request.config, f"\nunreadable updates: {sample} skipped, {fetches} getUpdates calls")
    assert answered  # the update after it was handled: no stall
    assert fetches < 10  # not a re-fetch loop
    assert sample == 1.0
    assert emu.pending_updates() == 0  # confirmed, never to come back
    lines = [r.getMessage() for r in caplog.records]
    assert any("skipped" in line for line in lines)
    assert not any("my words" in line or "not a list" in line for line in lines)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
