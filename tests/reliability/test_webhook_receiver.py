"""Webhook mode's receiver: an update sent again is skipped, in this run from memory and after
a restart from the record; an ordinary group message costs no database read."""

from __future__ import annotations

from typing import Any

import pytest

from bot.webhook import Receiver
from tests.support import Harness


def counted_reads(harness: Harness, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every read the store makes from now on (the SQL only)."""
    db = harness.app.bot_data.store.db
    reads: list[str] = []
    for name in ("fetch_one", "fetch_all"):
        original = getattr(db, name)

        async def read(sql: str, params: Any = (), _original: Any = original) -> Any:
            reads.append(sql)
            return await _original(sql, params)

        monkeypatch.setattr(db, name, read)
    return reads


async def test_updates_sent_again_are_skipped_and_group_messages_read_nothing(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    emu, app = harness.emu, harness.app
    owner, member = harness.user("Wanjiru"), harness.user("Chege")
    group = await harness.group("Circle A", owner=owner, members=[member])
    await harness.say(group, member, "hello")  # the bot knows Chege now
    await harness.start(member)
    receiver = Receiver(app, None)

    emu.send(group, member, "Good morning everyone, how did you sleep?")
    (raw,) = emu.take_updates()
    await receiver.receive(raw["update_id"], raw)  # the first: the record's top is read
    emu.send(group, member, "Sending hugs to whoever needs them tonight")
    (ordinary,) = emu.take_updates()
    reads = counted_reads(harness, monkeypatch)
    await receiver.receive(ordinary["update_id"], ordinary)
    await receiver.receive(ordinary["update_id"], ordinary)  # sent again: skipped
    assert reads == [] and receiver.duplicates == 1

    answers = len(emu.bot_messages(member))
    emu.send(member, member, "/help")
    (help_update,) = emu.take_updates()
    await receiver.receive(help_update["update_id"], help_update)
    assert len(emu.bot_messages(member)) == answers + 1

    after_restart = Receiver(app, None)  # a new run: the record says it was carried out
    await after_restart.receive(help_update["update_id"], help_update)
    assert after_restart.duplicates == 1 and len(emu.bot_messages(member)) == answers + 1
