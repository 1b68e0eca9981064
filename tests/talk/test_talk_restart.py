"""What the talk feature awaits lives in the database: a restart in the middle loses nothing.

The bot is stopped and a fresh Application starts on the same database file (``restart``), so
nothing kept in memory (``context.user_data``) could carry the prompt or the draft over.
"""

from __future__ import annotations

from bot.talk import awaiting
from tests.support import Harness
from tests.talk.test_talk_e2e import TOPIC, offer_of, team, text_of


async def awaiting_rows(harness: Harness) -> list[dict[str, object]]:
    rows = await harness.app.bot_data.store.db.fetch_all("SELECT * FROM awaiting")
    return [dict(row) for row in rows]


async def test_a_topic_prompt_continues_after_a_restart(harness: Harness) -> None:
    t = await team(harness)
    await harness.private(t.amina, "/talk")
    await harness.tap(t.amina, t.amina, "An administrator")
    prompt = harness.last(t.amina)
    assert prompt.buttons()
    assert [r["kind"] for r in await awaiting_rows(harness)] == [awaiting.TOPIC]

    await harness.restart(downtime=60)
    await harness.private(t.amina, TOPIC)
    assert "passed your request" in (harness.last(t.amina).text or "")
    assert TOPIC in text_of(harness, t.baraka, offer_of(harness, t.baraka))
    refreshed = harness.emu.message(t.amina, prompt.message_id)
    assert refreshed is not None and refreshed.buttons() == []  # Skip has done its job
    assert await awaiting_rows(harness) == []


async def test_a_feedback_prompt_continues_after_a_restart(harness: Harness) -> None:
    t = await team(harness)
    await harness.private(t.amina, "/feedback")
    assert "without your name" in (harness.last(t.amina).text or "")

    await harness.restart(downtime=60)
    await harness.private(t.amina, "Please start sessions on time")
    assert "Please start sessions on time" in (harness.last(t.amina).text or "")
    await harness.tap(t.amina, t.amina, "Send anonymously")
    assert "Sent, anonymously" in (harness.last(t.amina).text or "")
    assert "Please start sessions on time" in harness.said(t.chebet)[-1]


async def test_a_feedback_draft_waits_sealed_and_is_sent_after_a_restart(
    harness: Harness,
) -> None:
    t = await team(harness)
    await harness.private(t.amina, "/feedback")
    await harness.private(t.amina, "The Tuesday room is too cold")
    rows = await awaiting_rows(harness)
    assert [r["kind"] for r in rows] == [awaiting.FEEDBACK]
    assert "Tuesday" not in str(rows) and "cold" not in str(rows)  # the draft is sealed

    await harness.restart(downtime=60)
    await harness.tap(t.amina, t.amina, "Send anonymously")
    assert "Sent, anonymously" in (harness.last(t.amina).text or "")
    for admin in (t.baraka, t.chebet):
        assert "The Tuesday room is too cold" in harness.said(admin)[-1]
    assert await awaiting_rows(harness) == []  # the draft is gone once sent
    stored = await harness.app.bot_data.store.talk.feedback(t.group.id)
    assert [f.body for f in stored] == ["The Tuesday room is too cold"]


async def test_a_cancelled_draft_is_gone(harness: Harness) -> None:
    t = await team(harness)
    await harness.private(t.amina, "/feedback")
    await harness.private(t.amina, "Never mind")
    await harness.tap(t.amina, t.amina, "Cancel")
    assert await awaiting_rows(harness) == []
    assert await harness.app.bot_data.store.talk.feedback(t.group.id) == []


async def test_words_while_a_preview_waits_are_not_feedback(harness: Harness) -> None:
    t = await team(harness)
    await harness.private(t.amina, "/feedback")
    await harness.private(t.amina, "First thought")
    await harness.private(t.amina, "second thought")
    assert "/help" in (harness.last(t.amina).text or "")  # the usual hint
    await harness.tap(t.amina, t.amina, "Send anonymously")
    assert "First thought" in harness.said(t.chebet)[-1]


async def test_busy_is_what_circle_asks(harness: Harness) -> None:
    t = await team(harness)
    data = harness.app.bot_data
    assert not await awaiting.busy(data, t.amina.id)
    await harness.private(t.amina, "/talk")
    await harness.tap(t.amina, t.amina, "An administrator")
    assert await awaiting.busy(data, t.amina.id)  # the topic is awaited
    await harness.tap(t.amina, t.amina, "Skip")
    assert await awaiting.busy(data, t.amina.id)  # a waiting request
    await harness.private(t.amina, "/end")
    assert not await awaiting.busy(data, t.amina.id)
    await harness.private(t.amina, "/feedback")
    assert await awaiting.busy(data, t.amina.id)  # the feedback text is awaited
    await harness.private(t.amina, "A thought")
    assert not await awaiting.busy(data, t.amina.id)  # a preview waits for a press only
