"""The talk repository: first accept wins, nothing said is kept, purge, anonymous feedback."""

from __future__ import annotations

from bot.records.talk import CLOSED, OPEN, PENDING
from bot.storage.store import Store
from bot.storage.talk import iso_week
from bot.timeutil import ManualClock


async def test_first_accept_wins_and_topic_is_erased(store: Store) -> None:
    conversation_id = await store.talk.create(-100, 7, "admin", "sleep")
    assert await store.talk.topic(conversation_id) == "sleep"
    row = await store.db.fetch_one(
        "SELECT topic FROM talk_conversations WHERE id = ?", (conversation_id,)
    )
    assert row is not None and b"sleep" not in bytes(row["topic"])
    assert await store.talk.accept(conversation_id, 11) is True
    assert await store.talk.accept(conversation_id, 12) is False
    conversation = await store.talk.get(conversation_id)
    assert conversation is not None
    assert (conversation.status, conversation.helper_id) == (OPEN, 11)
    assert await store.talk.topic(conversation_id) is None
    assert (await store.talk.active_for(7)) == conversation
    assert (await store.talk.active_for(11)) == conversation
    assert conversation.other_side(7) == 11 and conversation.other_side(11) == 7
    assert conversation.other_side(99) is None
    assert await store.talk.busy_helpers() == {11}


async def test_finish_once_and_purge_after_retention(store: Store, clock: ManualClock) -> None:
    first = await store.talk.create(-100, 7, "listener", None)
    assert (await store.talk.get(first)).status == PENDING  # type: ignore[union-attr]
    assert await store.talk.finish(first, CLOSED, "ended") is True
    assert await store.talk.finish(first, CLOSED, "ended") is False
    assert await store.talk.active_for(7) is None
    clock.advance(10 * 86400)
    second = await store.talk.create(-100, 7, "listener", None)
    await store.talk.finish(second, CLOSED, "ended")
    removed = await store.talk.purge(clock.epoch() - 5 * 86400)
    assert removed == 1
    assert await store.talk.get(first) is None
    assert await store.talk.get(second) is not None


async def test_rate_window_counts_requests(store: Store, clock: ManualClock) -> None:
    for _ in range(3):
        await store.talk.create(-100, 7, "admin", None)
    assert await store.talk.requests_since(7, clock.epoch() - 3600) == 3
    clock.advance(3601)
    assert await store.talk.requests_since(7, clock.epoch() - 3600) == 0


async def test_offers_decline_and_clear(store: Store) -> None:
    conversation_id = await store.talk.create(-100, 7, "admin", None)
    await store.talk.add_offer(conversation_id, 11, 11, 501)
    await store.talk.add_offer(conversation_id, None, -900, 502)
    assert await store.talk.decline(conversation_id, 11) is True
    assert await store.talk.decline(conversation_id, 11) is False
    statuses = [(o.helper_id, o.status) for o in await store.talk.offers(conversation_id)]
    assert statuses == [(11, "declined"), (None, "sent")]
    await store.talk.clear_offers(conversation_id)
    assert await store.talk.offers(conversation_id) == []


async def test_listeners_pause_avoid_block(store: Store) -> None:
    await store.talk.listen(21, -100)
    await store.talk.listen(22, -100)
    await store.talk.listen(21, -200)
    assert await store.talk.available_listeners(-100) == [21, 22]
    await store.talk.set_paused(21, True)
    assert await store.talk.available_listeners(-100) == [22]
    assert all(x.paused for x in await store.talk.listening(21))
    await store.talk.stop_listening(21, -200)
    assert [x.chat_id for x in await store.talk.listening(21)] == [-100]
    await store.talk.avoid(7, 22)
    await store.talk.block(23, 7, -100)
    assert await store.talk.avoided_by(7) == {22}
    assert await store.talk.blocked_by(7) == {23}


async def test_feedback_row_has_no_link_to_its_sender(store: Store, clock: ManualClock) -> None:
    await store.talk.add_feedback(-100, "More evening sessions please")
    await store.talk.add_feedback(-100, "Thank you all")
    columns = [row["name"] for row in await store.db.fetch_all("PRAGMA table_info(talk_feedback)")]
    assert columns == ["id", "chat_id", "week", "body"]
    rows = await store.db.fetch_all("SELECT * FROM talk_feedback")
    for row in rows:
        assert row["week"] == iso_week(clock.epoch())
        assert b"evening" not in bytes(row["body"]) and b"Thank" not in bytes(row["body"])
        assert len(row["id"]) == 32
    # No rowid to betray arrival order.
    table = await store.db.fetch_one("SELECT sql FROM sqlite_master WHERE name = 'talk_feedback'")
    assert table is not None and "WITHOUT ROWID" in table["sql"]
    bodies = sorted(f.body for f in await store.talk.feedback(-100))
    assert bodies == ["More evening sessions please", "Thank you all"]


async def test_export_and_forget_a_person(store: Store) -> None:
    asked = await store.talk.create(-100, 7, "listener", "secret topic")
    await store.talk.accept(asked, 21)
    await store.talk.finish(asked, CLOSED, "ended")
    await store.talk.listen(7, -100)
    await store.talk.avoid(7, 21)
    await store.talk.block(21, 7, -100)
    exported = await store.talk.export_person(7)
    assert [c["role"] for c in exported["conversations"]] == ["asked"]
    assert "secret topic" not in str(exported)
    assert exported["listening_in_groups"] == [{"chat_id": -100, "paused": False}]
    assert (await store.talk.export_person(21))["conversations"][0]["role"] == "helped"
    await store.talk.forget_person(7)
    assert (await store.talk.export_person(7))["conversations"] == []
    assert await store.talk.listening(7) == []
    assert await store.talk.avoided_by(7) == set()
    assert await store.talk.blocked_by(7) == set()
