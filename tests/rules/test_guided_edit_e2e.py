"""The guided /setrules in the private chat is a persisted awaiting record: it survives a
restart, lapses after half an hour, keeps going after a refused text, and /cancel stops it."""

from __future__ import annotations

from tests.rules.test_rules_e2e import team, text
from tests.support import Harness


async def test_a_guided_edit_continues_after_a_restart(harness: Harness) -> None:
    t = await team(harness)
    await harness.start(t.amina, f"setrules_{t.group.id}")
    assert "Send me the new ground rules for Peer Group" in text(harness.last(t.amina))
    waiting = await harness.app.bot_data.store.awaiting.current(t.amina.id)
    assert waiting is not None and waiting.kind == "rules.writing"
    assert waiting.payload == {"chat_id": t.group.id}  # ids only, never what anyone wrote

    await harness.restart(downtime=120)  # a fresh Application on the same database file

    await harness.private(t.amina, "1. Be gentle\n2. Keep it private")
    assert "now version 1" in text(harness.last(t.amina))
    store = harness.app.bot_data.store
    assert await store.rules.current_version(t.group.id) == 1
    assert "have changed (version 1)" in text(harness.last(t.group))
    assert await store.awaiting.current(t.amina.id) is None
    await harness.private(t.amina, "and one more thing")
    assert await store.rules.current_version(t.group.id) == 1  # the edit is over


async def test_a_guided_edit_lapses_while_the_bot_is_down_for_long(harness: Harness) -> None:
    t = await team(harness)
    await harness.start(t.amina, f"setrules_{t.group.id}")
    await harness.restart(downtime=31 * 60)
    await harness.private(t.amina, "1. Be gentle")
    assert await harness.app.bot_data.store.rules.current_version(t.group.id) == 0
    assert "/help" in text(harness.last(t.amina))


async def test_a_refused_text_keeps_the_edit_and_cancel_stops_it(harness: Harness) -> None:
    t = await team(harness)
    await harness.start(t.amina, f"setrules_{t.group.id}")
    await harness.private(t.amina, "x" * 4000)
    assert "too long" in text(harness.last(t.amina))
    await harness.private(t.amina, "/cancel")
    assert "Stopped. Nothing was changed." in text(harness.last(t.amina))
    await harness.private(t.amina, "1. Be gentle")
    assert await harness.app.bot_data.store.rules.current_version(t.group.id) == 0
    # With no edit going on, /cancel is another feature's again.
    await harness.private(t.amina, "/cancel")
    assert "Stopped. Nothing was changed." not in text(harness.last(t.amina))


async def test_only_an_administrator_can_begin_a_guided_edit(harness: Harness) -> None:
    t = await team(harness)
    await harness.start(t.juma, f"setrules_{t.group.id}")
    assert "Only the group's administrators" in text(harness.last(t.juma))
    assert await harness.app.bot_data.store.awaiting.current(t.juma.id) is None
