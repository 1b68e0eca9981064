"""Pamoja in a forum supergroup: answers stay in the topic they were asked in."""

from __future__ import annotations

from tests.sessions.test_sessions_e2e import circle
from tests.support import Harness


async def test_answers_stay_in_their_topic(harness: Harness) -> None:
    c = await circle(harness)
    topic = harness.emu.create_topic(c.group, "Check-ins", by=c.baraka)
    await harness.settle()
    await harness.say(c.group, c.amina, "/rules", thread_id=topic)
    await harness.say(c.group, c.baraka, "/session", thread_id=topic)
    answers = harness.emu.bot_messages(c.group)[-2:]
    assert [m.thread_id for m in answers] == [topic, topic]
    assert "no sessions scheduled yet" in (answers[-1].text or "")
