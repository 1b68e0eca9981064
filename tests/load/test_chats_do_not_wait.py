"""No chat waits for another group's rate limit; each chat's and each person's updates in order.

The real Application with its update processor and its rate limiter, against the emulator with
Telegram's flood limits on. One group's send budget is spent (20 messages this minute); a
command in that group is handled at once and its answer waits in the outbox, whose worker waits
for the budget; the tests check what was answered while it waited: ordering, not timings
(nothing here waits for the minute to pass).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.adapters.ratelimit import PamojaRateLimiter
from bot.app import ALLOWED_UPDATES
from bot.delivery import outbox
from bot.polling import SafePoller
from bot.timeutil import ManualClock
from tests.load.bots import feed, limited_bot, spend_budget, stop, until
from tests.support import Harness


@pytest.fixture
async def limited(tmp_path: Path, clock: ManualClock) -> AsyncIterator[Harness]:
    async with limited_bot(tmp_path, clock, PamojaRateLimiter()) as running:
        yield running


async def test_a_private_start_is_answered_while_a_group_waits_for_its_budget(
    limited: Harness,
) -> None:
    h = limited
    owner, member, newcomer = h.user("Wanjiru"), h.user("Amani"), h.user("Baraka")
    group = await h.group("Circle A", owner=owner, members=[member])
    await spend_budget(h, group)
    before = len(h.said(group))

    limiter = h.limiter
    assert limiter is not None
    h.emu.send(group, member, "/rules")  # its answer must wait for the group's budget
    tasks = feed(h)
    try:
        await until(lambda: tasks[0].done(), tasks)  # the handler leaves it to the outbox
        tasks.append(asyncio.create_task(outbox.flush(h.app, group.id)))
        await until(lambda: limiter.waiting == 1, tasks)  # the worker waits for the budget
        h.emu.start_bot(newcomer)
        tasks += feed(h)
        await until(lambda: bool(h.said(newcomer)), tasks)
        assert not tasks[1].done()  # the answer still waits; /start was answered meanwhile
        assert len(h.said(group)) == before, "the group's answer went over its budget"
    finally:
        await stop(tasks)


async def test_a_warning_in_one_group_is_not_held_up_by_another_groups_budget(
    limited: Harness,
) -> None:
    h = limited
    admin, member, other = h.user("Wanjiru"), h.user("Amani"), h.user("Chege")
    busy = await h.group("Circle A", owner=admin, members=[other])
    quiet = await h.group("Circle B", owner=admin, members=[member])
    await h.start(member)
    await spend_budget(h, busy)
    said_in_busy = len(h.said(busy))
    post = await h.say(quiet, member, "hello all")

    limiter = h.limiter
    assert limiter is not None
    h.emu.send(busy, other, "/rules")
    tasks = feed(h)
    try:
        await until(lambda: tasks[0].done(), tasks)
        tasks.append(asyncio.create_task(outbox.flush(h.app, busy.id)))
        await until(lambda: limiter.waiting == 1, tasks)
        h.emu.send(quiet, admin, "/warn please be kind", reply_to=post)
        tasks += feed(h)
        await until(lambda: any("sent you a warning" in t for t in h.said(member)), tasks)
        assert len(h.said(busy)) == said_in_busy
        assert not tasks[1].done()
    finally:
        await stop(tasks)


async def test_a_group_waiting_for_its_budget_does_not_blind_the_poller(
    limited: Harness,
) -> None:
    """Polled as in production: Telegram gives at most 100 updates from the oldest one not yet
    confirmed, so an update whose handling waited for the group's budget (up to a minute) would
    keep every later update out of sight once 100 more had come. Its answer waits in the outbox
    instead, and the private /start that came after 150 other messages is answered."""
    h = limited
    owner, member, chatty, newcomer = (
        h.user("Wanjiru"),
        h.user("Amani"),
        h.user("Chege"),
        h.user("Baraka"),
    )
    busy = await h.group("Circle A", owner=owner, members=[member])
    other = await h.group("Circle B", owner=owner, members=[chatty])
    await h.say(other, chatty, "hello")
    await spend_budget(h, busy)
    said_in_busy = len(h.said(busy))
    h.emu.send(busy, member, "/rules")  # its answer must wait for the group's budget
    for number in range(150):
        h.emu.send(other, chatty, f"message {number}")
    h.emu.start_bot(newcomer)
    poller = SafePoller(h.app, ALLOWED_UPDATES, poll_seconds=1, busy_pause=0.05)
    stopping = asyncio.Event()
    polling = asyncio.create_task(poller.run(stopping))
    try:
        await until(lambda: bool(h.said(newcomer)), [polling])
        assert len(h.said(busy)) == said_in_busy, "the group's answer went over its budget"
        waiting = await h.app.bot_data.store.outbox.head(busy.id)
        assert waiting is not None and waiting.kind == "answer"  # kept, not lost
    finally:
        stopping.set()
        await asyncio.wait_for(polling, 30)
    assert not h.emu.pending_update_ids()  # all handled and confirmed


async def test_a_join_into_a_group_with_a_spent_budget_is_handled_at_once(
    limited: Harness,
) -> None:
    """With the gate off, a newcomer's greeting is sent into the group: with the group's
    budget spent it waits for the window's combined greeting instead of holding the join's
    handling (and with it the poller's window) for a minute."""
    h = limited
    owner, newcomer = h.user("Wanjiru"), h.user("Baraka")
    group = await h.group("Circle A", owner=owner)
    await h.say(group, owner, "/settings gate off")
    await spend_budget(h, group)
    said = len(h.said(group))
    limiter = h.limiter
    assert limiter is not None
    h.emu.join(group, newcomer)
    tasks = feed(h)
    try:
        await until(lambda: all(task.done() for task in tasks), tasks)
        assert limiter.waiting == 0 and len(h.said(group)) == said
        assert h.emu.can_post(group, newcomer)  # not held back by the gate
        waiting = await h.app.bot_data.store.rules.greet_take(group.id)
        assert waiting == [newcomer.id]  # greeted with the window's combined greeting
    finally:
        await stop(tasks)


async def test_one_persons_private_commands_are_answered_in_order(harness: Harness) -> None:
    h = harness
    person = h.user("Amani")
    await h.start(person)
    expected: list[str] = []
    for command in ("/help", "/privacy", "/crisis", "/help", "/privacy"):
        await h.private(person, command)
        expected.append(h.said(person)[-1])
    for command in ("/help", "/privacy", "/crisis", "/help", "/privacy"):
        h.emu.send(person, person, command)
    await h.settle()  # all five handled at once by the processor
    assert h.said(person)[-5:] == expected


async def test_a_newcomer_who_writes_at_once_meets_the_gate_first(harness: Harness) -> None:
    """The join and the first message arrive together: the join is handled first (same chat,
    same person), so the gate holds the message back as it would one minute later."""
    h = harness
    owner, newcomer = h.user("Wanjiru"), h.user("Baraka")
    group = await h.group("Circle A", owner=owner)
    h.emu.join(group, newcomer)
    h.emu.send(group, newcomer, "hi, I just arrived")
    await h.settle()
    assert h.app.bot_data.store is not None
    gated = await h.app.bot_data.store.rules.gate_get(group.id, newcomer.id)
    assert gated is not None
