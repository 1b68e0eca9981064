"""Which updates are recorded as carried out (so a re-sent one is skipped): those whose handling
did something lasting. Here the only lasting thing is a Bot API call, not a write."""

from __future__ import annotations

import asyncio

from bot.app import ALLOWED_UPDATES
from bot.polling import SafePoller
from tests.support import Harness


async def test_an_update_whose_only_effect_is_a_bot_api_call_is_recorded(
    harness: Harness,
) -> None:
    """A forged button: the answer is the one call Telegram gets (no row is written for it);
    handled again after a crash, the person would see the alert twice — so it is recorded."""
    emu, store = harness.emu, harness.app.bot_data.store
    amina = harness.user("Amina")
    await harness.start(amina)
    welcome = harness.last(amina).message_id
    poller = SafePoller(harness.app, ALLOWED_UPDATES, poll_seconds=1, busy_pause=0.02)
    stop = asyncio.Event()
    task = asyncio.create_task(poller.run(stop))
    try:
        answers = len(emu.calls_to("answerCallbackQuery"))
        changes = store.db.changes()
        emu.press(amina, amina, welcome, "nothing:here:1", forge=True)
        (pressed,) = emu.pending_update_ids()
        async with asyncio.timeout(10):
            while emu.pending_update_ids() or poller.handled < 1:  # noqa: ASYNC110
                await asyncio.sleep(0.02)
        assert len(emu.calls_to("answerCallbackQuery")) == answers + 1
        assert store.db.changes() == changes + 1  # its record, and nothing else
        assert await store.handled.was_handled(pressed)
    finally:
        stop.set()
        await asyncio.wait_for(task, 10)
