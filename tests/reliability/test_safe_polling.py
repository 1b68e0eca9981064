"""The poller confirms to Telegram only what finished, and carries nothing out twice.

The real application and store, the emulator in-process, and ``SafePoller`` polling it: an
update still being handled stays with Telegram (the emulator keeps it pending), so a crash
cannot lose it; an id recorded as carried out before a restart is not carried out again.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from telegram import Update
from telegram.ext import ApplicationHandlerStop, TypeHandler

from bot.context import Context
from tests.reliability.crashes import Polling, wait_for
from tests.support import Harness


class Gate:
    """Holds back updates whose text is ``/rules`` until opened."""

    def __init__(self) -> None:
        self.opened = asyncio.Event()
        self.waiting = 0

    async def __call__(self, update: object, _context: Context) -> None:
        message = update.effective_message if isinstance(update, Update) else None
        if message is None or message.text != "/rules":
            return
        self.waiting += 1
        await self.opened.wait()
        raise ApplicationHandlerStop


@pytest.fixture
def gate(harness: Harness) -> Gate:
    held = Gate()
    harness.app.add_handler(TypeHandler(Update, held), group=-100)
    return held


@pytest.fixture
async def polling(harness: Harness) -> AsyncIterator[Polling]:
    running = Polling(harness)
    try:
        yield running
    finally:
        if not running.task.done():
            await running.finish()


async def test_an_update_being_handled_stays_unconfirmed(
    harness: Harness, gate: Gate, polling: Polling
) -> None:
    emu = harness.emu
    amina, baraka = emu.add_user("Amina"), emu.add_user("Baraka")
    emu.start_bot(amina)
    emu.send(amina, amina, "/rules")  # held back
    emu.start_bot(baraka)  # after it (handled at once by a processor concurrent across chats)
    await wait_for(lambda: gate.waiting == 1)
    await asyncio.sleep(0.3)  # polls go on while it is held
    # Telegram still has the held update and the one after it: a crash now loses neither.
    assert len(emu.pending_update_ids()) == 2
    gate.opened.set()
    await wait_for(lambda: emu.pending_updates() == 0 and polling.poller.handled == 3)
    assert polling.poller.handled == 3
    assert len(emu.bot_messages(baraka)) == 1


async def test_an_update_carried_out_before_a_restart_is_not_carried_out_again(
    harness: Harness,
) -> None:
    emu = harness.emu
    amina, baraka = emu.add_user("Amina"), emu.add_user("Baraka")
    emu.start_bot(amina)
    # Carried out and recorded, then killed before Telegram was told: it comes again.
    (done,) = emu.pending_update_ids()
    await harness.app.bot_data.store.handled.mark(done)
    emu.start_bot(baraka)
    polling = Polling(harness)
    await wait_for(lambda: emu.last_bot_message(baraka) is not None)
    await wait_for(lambda: emu.pending_updates() == 0)
    await polling.finish()
    assert polling.poller.duplicates == 1
    assert emu.bot_messages(amina) == []  # not welcomed a second time
    assert await harness.app.bot_data.store.handled.was_handled(done + 1)


async def test_a_stop_lets_what_runs_finish_then_confirms_it(
    harness: Harness, gate: Gate, polling: Polling
) -> None:
    emu = harness.emu
    amina = emu.add_user("Amina")
    emu.start_bot(amina)
    emu.send(amina, amina, "/rules")
    await wait_for(lambda: gate.waiting == 1)
    polling.stop.set()
    await asyncio.sleep(0.1)
    assert not polling.task.done()  # waits for the held update
    gate.opened.set()
    await asyncio.wait_for(polling.task, 10)
    assert emu.pending_updates() == 0  # and told Telegram
    assert polling.poller.handled == 2


async def test_network_errors_are_waited_out(harness: Harness, polling: Polling) -> None:
    emu = harness.emu
    emu.fail_next("getUpdates", 502, "Bad Gateway")
    emu.fail_next("getUpdates", 429, "Too Many Requests: retry after 1", retry_after=1)
    amina = emu.add_user("Amina")
    emu.start_bot(amina)
    await wait_for(lambda: polling.poller.handled == 1)
    assert emu.last_bot_message(amina) is not None


async def test_a_commands_change_and_its_record_are_one_commit(
    harness: Harness, polling: Polling
) -> None:
    """The handler commits its change, then waits (for Telegram, say) and the bot dies there:
    the update is recorded with that change, so it is not carried out again after a restart;
    another task's commit meanwhile does not record it."""
    emu, store = harness.emu, harness.app.bot_data.store
    changed, release = asyncio.Event(), asyncio.Event()

    async def change_then_wait(update: object, _context: Context) -> None:
        message = update.effective_message if isinstance(update, Update) else None
        if message is None or message.text != "/rules":
            return
        async with store.db.transaction():
            await store.db.execute(
                "INSERT INTO meta (key, value) VALUES ('test.change', '1') "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
            )
        changed.set()
        await release.wait()
        raise ApplicationHandlerStop

    harness.app.add_handler(TypeHandler(Update, change_then_wait), group=-100)
    amina = emu.add_user("Amina")
    emu.start_bot(amina)
    await wait_for(lambda: emu.last_bot_message(amina) is not None)
    emu.send(amina, amina, "/rules")
    await asyncio.wait_for(changed.wait(), 10)
    pending = emu.pending_update_ids()
    assert len(pending) == 1  # still with Telegram: not confirmed
    assert await store.handled.was_handled(pending[0])  # but recorded with its change
    async with store.db.transaction():  # another task's commit records nothing of it
        await store.db.execute("DELETE FROM handled_updates WHERE update_id = ?", (pending[0],))
    assert not await store.handled.was_handled(pending[0])
    release.set()
    await wait_for(lambda: not emu.pending_update_ids())
    assert await store.handled.was_handled(pending[0])  # and after it finished


async def test_only_updates_that_did_something_lasting_are_recorded(harness: Harness) -> None:
    """A member's ordinary group message costs no write at all (not even its id); their first
    message (the bot learns them) and a private command (it answers) are recorded."""
    emu, store = harness.emu, harness.app.bot_data.store
    owner, member = harness.user("Wanjiru"), harness.user("Amina")
    group = await harness.group("Peer group", owner=owner, members=[member])
    emu.send(group, member, "Habari za asubuhi wapendwa")  # the bot learns Amina
    emu.start_bot(member)
    polling = Polling(harness)
    await wait_for(lambda: not emu.pending_update_ids() and polling.poller.handled == 2)
    first, started = (await store.handled.highest() or 0) - 1, await store.handled.highest()
    assert await store.handled.was_handled(first) and started is not None

    changes = store.db.changes()
    emu.send(group, member, "Good morning everyone, how did you sleep?")
    emu.send(group, member, "Sending hugs to whoever needs them tonight")
    await wait_for(lambda: not emu.pending_update_ids() and polling.poller.handled == 4)
    assert store.db.changes() == changes  # nothing written for them
    assert await store.handled.highest() == started  # nor recorded

    emu.send(member, member, "/help")
    await wait_for(lambda: not emu.pending_update_ids() and polling.poller.handled == 5)
    await polling.finish()
    assert await store.handled.highest() == started + 3  # answered: recorded
