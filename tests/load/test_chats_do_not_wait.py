"""No chat waits for another group's rate limit; each chat's and each person's updates in order.

The real Application with its update processor and its rate limiter, against the emulator with
Telegram's flood limits on. One group's send budget is spent (20 messages this minute); a
command in that group then waits for budget, and the tests check what was answered while it
waited: ordering, not timings (nothing here waits for the minute to pass).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.adapters.ratelimit import PamojaRateLimiter
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
        await until(lambda: limiter.waiting == 1, tasks)
        h.emu.start_bot(newcomer)
        tasks += feed(h)
        await until(lambda: bool(h.said(newcomer)), tasks)
        assert not tasks[0].done()  # /rules still waits; /start was answered meanwhile
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
        await until(lambda: limiter.waiting == 1, tasks)
        h.emu.send(quiet, admin, "/warn please be kind", reply_to=post)
        tasks += feed(h)
        await until(lambda: any("sent you a warning" in t for t in h.said(member)), tasks)
        assert len(h.said(busy)) == said_in_busy
        assert not tasks[0].done()
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
