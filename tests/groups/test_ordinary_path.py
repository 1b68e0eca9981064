"""An ordinary group message read from its JSON (the lean path, ``bot/handlers/ordinary.py``)
leaves exactly what the full way through every handler leaves.

The same week of a group is played twice against the real bot and the emulator: once as the
bot runs (the lean path on), once with every update read by python-telegram-bot and handed to
the handlers. Every row of every table and every Bot API call must be the same; the lean path
must have taken most of the messages (else the test would prove nothing), and the scenario must
have reached what matters: a member the bot did not know learned, an advert held up to the
admins, a repeated phone number noticed, someone on the blocklist removed from a second group,
a group nobody set up, a member changing their @username.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from telegram import Update

from bot.adapters.ordinary import OrdinaryMessage
from bot.adapters.tracking import ARRIVED, mark_arrived
from bot.context import App, Context
from bot.handlers import ordinary
from bot.moderation import measures
from bot.timeutil import ManualClock
from emulator import DEFAULT_TOKEN
from tests.conftest import make_settings
from tests.support import Harness

ADVERT = "Therapy sessions from KSh 2000 only, DM me to book your slot today"
VOLATILE = {"handled_updates", "update_effects"}  # times of carrying out: same ids either way


async def _week(h: Harness) -> None:
    owner, admin = h.user("Wanjiru"), h.user("Otieno")
    chege = h.user("Chege", username="chege_k")
    amina, seller, visitor = h.user("Amina"), h.user("Dr Promo"), h.user("Baraka")
    group = await h.group(
        "Circle A", owner=owner, admins=[admin], members=[chege, amina, seller, visitor]
    )
    second = await h.group("Circle B", owner=owner, members=[seller, chege])
    unset = await h.group("Circle C", owner=owner, members=[amina], setup=False)
    await h.start(owner)
    for text in ("Good morning everyone", "Habari za asubuhi wapendwa", "Me too 🙏"):
        await h.say(group, chege, text)  # the first: learned; then the lean path
        await h.say(group, amina, text)
    await h.say(second, seller, "Hello friends")
    await h.say(second, chege, "Good evening all")
    await h.say(unset, amina, "Is anyone here?")  # a group nobody set up
    await h.say(group, chege, "I paid 500 bob for transport, so expensive now")
    first = await h.say(group, chege, "Thank you all")
    await h.say(group, amina, "Same here, you are not alone", reply_to=first)
    await h.say(group, seller, "Call me on 0712 345 678 any time")
    await h.say(group, seller, "My number again: 0712 345 678")  # a repeated contact
    advert = await h.say(group, seller, ADVERT)  # held up to the admins
    h.emu.set_username(chege, "chege_new")
    await h.say(group, chege, "New name, same me")
    await h.say(group, visitor, "hi, I am Baraka")  # in the group before the bot: learned now
    assert advert
    # On the blocklist (put there by an admin while their ban in Circle B failed, say): their
    # next message there is removed.
    await h.app.bot_data.store.moderation.block(
        seller.id, origin_chat_id=group.id, actor_id=owner.id, reason=None
    )
    h.app.bot_data.moderation.blocked(seller.id)
    await h.say(second, seller, "Still here, book with me")


async def _played(tmp_path: Path, *, lean: bool) -> tuple[dict[str, Any], int]:
    taken = 0

    async def counted(app: App, message: OrdinaryMessage) -> bool:
        nonlocal taken
        done = await ordinary.take(app, message)
        taken += done
        return done

    def wire(app: App) -> None:
        app.bot_data.ordinary = counted if lean else None

    h = Harness(
        make_settings(tmp_path, telegram_token=DEFAULT_TOKEN), ManualClock(start=1_790_000_000)
    )
    h.on_build.append(wire)
    await h.boot()
    try:
        await _week(h)
        snapshot = await _snapshot(h)
    finally:
        await h.halt()
    assert [r.getMessage() for r in h.errors] == []
    return snapshot, taken


def _plain(value: object) -> object:
    """A cell as compared: an encrypted one (a fresh nonce each time) only as encrypted."""
    if isinstance(value, bytes) or (isinstance(value, str) and value.startswith("02decb")):
        return "<encrypted>"
    return value


async def _snapshot(h: Harness) -> dict[str, Any]:
    db = h.app.bot_data.store.db
    tables = await db.fetch_all(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    rows = {
        str(t["name"]): sorted(
            (
                {key: _plain(value) for key, value in dict(row).items()}
                for row in await db.fetch_all(f"SELECT * FROM {t['name']}")
            ),
            key=repr,
        )
        for t in tables
        if t["name"] not in VOLATILE
    }
    calls = [(c.method, repr(sorted(c.params.items()))) for c in h.emu.calls]
    return {"rows": rows, "calls": calls}


async def test_the_lean_path_leaves_what_the_handlers_leave(tmp_path: Path) -> None:
    full, none_taken = await _played(tmp_path / "full", lean=False)
    lean, taken = await _played(tmp_path / "lean", lean=True)
    assert none_taken == 0
    assert taken >= 10  # most ordinary messages went the lean way
    rows = full["rows"]
    assert rows["mod_reports"], "the advert was not held up: the scenario proves nothing"
    assert any(r["status"] == "kicked" for r in rows["memberships"])
    assert lean["rows"] == full["rows"]
    assert lean["calls"] == full["calls"]


async def test_a_failing_step_is_handled_as_the_handlers_would_be(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As python-telegram-bot runs handlers: the error handler hears of a failing step (by
    update id, no words), and the words are still screened."""
    owner, seller = harness.user("Wanjiru"), harness.user("Dr Promo")
    group = await harness.group("Circle A", owner=owner, members=[seller])
    await harness.say(group, seller, "Hello friends")  # known now: the lean path from here

    async def broken(*_args: object) -> None:
        raise RuntimeError("the store is away")

    monkeypatch.setattr(ordinary, "took_part", broken)
    await harness.say(group, seller, ADVERT)
    store = harness.app.bot_data.store
    assert await store.moderation.has_open_flag(group.id, seller.id, 0)
    lines = [r.getMessage() for r in harness.errors]
    assert len(lines) == 1 and "failed: RuntimeError" in lines[0]
    assert "KSh" not in lines[0] and "Promo" not in lines[0]
    harness.errors.clear()


async def test_a_blocklist_that_cannot_be_read_sends_the_message_the_full_way(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    owner, seller = harness.user("Wanjiru"), harness.user("Dr Promo")
    group = await harness.group("Circle A", owner=owner, members=[seller])
    await harness.say(group, seller, "Hello friends")
    real, failed = measures.is_blocked, []

    async def once_unreadable(app: App, user_id: int) -> bool:
        if not failed:
            failed.append(user_id)
            raise RuntimeError("database is locked")
        return await real(app, user_id)

    monkeypatch.setattr(measures, "is_blocked", once_unreadable)
    await harness.say(group, seller, ADVERT)
    assert failed == [seller.id]  # the lean path asked, could not know, and stepped aside
    assert await harness.app.bot_data.store.moderation.has_open_flag(group.id, seller.id, 0)


async def test_a_person_marked_as_arrived_goes_the_full_way(harness: Harness) -> None:
    """A mark an earlier update left (it stopped before the arrivals' group ran) is taken by
    the person's next update, an ordinary group message too: what waited is delivered."""
    owner, amina = harness.user("Wanjiru"), harness.user("Amina")
    group = await harness.group("Circle A", owner=owner, members=[amina])
    await harness.say(group, amina, "Habari")  # known now
    app = harness.app
    private = {
        "update_id": 1,
        "message": {
            "message_id": 1,
            "date": 1_790_000_000,
            "chat": {"id": amina.id, "type": "private", "first_name": "Amina"},
            "from": {"id": amina.id, "is_bot": False, "first_name": "Amina"},
            "text": "hi",
        },
    }
    mark_arrived(Context.from_update(Update.de_json(private, app.bot), app))
    assert ARRIVED in app.user_data.get(amina.id, {})
    await harness.say(group, amina, "Good morning everyone")
    assert ARRIVED not in app.user_data.get(amina.id, {})  # taken: the full way ran
