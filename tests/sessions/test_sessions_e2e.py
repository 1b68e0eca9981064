"""The group's rhythm end to end: the real Application, the real SQLite store, the emulator.

A monthly session announced in a forum topic and stepped through; members' opt-in reminders a
day and an hour before, with restarts in between; rules put to the group as a poll and adopted
as a new version; the anonymous pulse; /stats with small counts suppressed.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.sessions import template
from emulator import GroupHandle, UserHandle
from emulator.world import Message
from tests.support import Harness


@dataclass(frozen=True)
class Circle:
    group: GroupHandle
    owner: UserHandle
    baraka: UserHandle
    amina: UserHandle
    juma: UserHandle


async def circle(harness: Harness) -> Circle:
    owner = harness.user("Wanjiru")
    baraka = harness.user("Baraka")
    amina = harness.user("Amina")
    juma = harness.user("Juma")
    group = await harness.group("Peer Group", owner=owner, admins=[baraka])
    for member in (amina, juma):
        await harness.join(group, member)
    for person in (baraka, amina, juma):
        await harness.start(person)
    return Circle(group, owner, baraka, amina, juma)


async def only_session(harness: Harness, chat_id: int) -> tuple[int, int]:
    sessions = await harness.app.bot_data.store.sessions.of_group(chat_id)
    assert len(sessions) == 1
    assert sessions[0].next_at is not None
    return sessions[0].id, sessions[0].next_at


def in_topic(harness: Harness, c: Circle, topic: int) -> list[Message]:
    return [m for m in harness.emu.bot_messages(c.group) if m.thread_id == topic]


async def wait_until(harness: Harness, epoch: int) -> None:
    await harness.advance(epoch - harness.clock.epoch())


async def test_a_monthly_session_announced_in_its_topic_and_stepped_through(
    harness: Harness,
) -> None:
    c = await circle(harness)
    topic = harness.emu.create_topic(c.group, "Monthly circle", by=c.baraka)
    await harness.settle()
    await harness.say(
        c.group, c.baraka, "/session add monthly sat 15:00 Monthly circle", thread_id=topic
    )
    session_id, first = await only_session(harness, c.group.id)
    announcement = in_topic(harness, c, topic)[-1]
    assert "Monthly circle" in (announcement.text or "")
    assert "first Saturday of each month at 15:00" in (announcement.text or "")
    assert f"remind_{session_id}" in str(announcement.buttons()[0].get("url"))

    await wait_until(harness, first)
    opening = in_topic(harness, c, topic)[-1]
    text = opening.text or ""
    assert "Opening" in text and "Our ground rules" in text and "stays here" in text
    labels = [b["text"] for b in opening.buttons()]
    assert labels == ["Next: Sharing", "More time"]

    before = len(in_topic(harness, c, topic))
    await harness.tap(c.amina, c.group, "Next: Sharing")  # a member cannot move it on
    assert len(in_topic(harness, c, topic)) == before
    assert "administrators" in str(harness.emu.calls_to("answerCallbackQuery")[-1].params)

    await harness.tap(c.baraka, c.group, "Next: Sharing")
    sharing = in_topic(harness, c, topic)[-1]
    assert "Sharing" in (sharing.text or "")
    assert harness.emu.message(c.group, opening.message_id).buttons() == []  # old controls gone
    assert "Skip: Our shared work" in [b["text"] for b in sharing.buttons()]
    await harness.tap(c.baraka, c.group, "More time")  # reassurance only, nothing posted
    assert in_topic(harness, c, topic)[-1].message_id == sharing.message_id

    await harness.tap(c.baraka, c.group, "Skip: Our shared work")  # sharing goes on
    assert in_topic(harness, c, topic)[-1].message_id == sharing.message_id
    offered = [b["text"] for b in harness.emu.message(c.group, sharing.message_id).buttons()]
    assert offered == ["Next: A topic of its own", "Skip: A topic of its own", "More time"]
    await harness.tap(c.baraka, c.group, "Skip: A topic of its own")
    await harness.tap(c.baraka, c.group, "Next: Closing round")
    assert "Closing round" in (in_topic(harness, c, topic)[-1].text or "")
    await harness.tap(c.baraka, c.group, "Next: Ending")
    assert "something positive" in (in_topic(harness, c, topic)[-1].text or "")
    await harness.tap(c.baraka, c.group, "Close the session")
    closing = in_topic(harness, c, topic)[-1]
    assert "anonymously" in (closing.text or "")
    assert "pulse_" in str(closing.buttons()[0].get("url"))

    # A stale press on an old part changes nothing.
    count = len(harness.emu.bot_messages(c.group))
    await harness.press(c.baraka, c.group, sharing.message_id, "sessions:next:1:1:2", forge=True)
    assert len(harness.emu.bot_messages(c.group)) == count

    store = harness.app.bot_data.store
    run = await store.sessions.run(1)
    assert (
        run is not None
        and not run.open
        and run.skipped == (template.STRUCTURED, template.BREAKOUT)
    )
    session = await store.sessions.get(session_id)
    assert session is not None and session.next_at is not None
    assert 27 * 86_400 < session.next_at - first < 36 * 86_400  # the next month's first Saturday
    await wait_until(harness, session.next_at)  # and it does meet then
    assert "Opening" in (in_topic(harness, c, topic)[-1].text or "")
    second = await store.sessions.run(2)
    assert second is not None and second.occurrence_at == session.next_at


async def test_reminders_come_only_to_those_who_asked_across_restarts(harness: Harness) -> None:
    c = await circle(harness)
    await harness.say(c.group, c.baraka, "/session add weekly wed 18:30 Evening check-in")
    session_id, at = await only_session(harness, c.group.id)
    stranger = harness.user("Eve")
    await harness.start(stranger, f"remind_{session_id}")
    assert "can't find that session" in (harness.last(stranger).text or "")
    assert "Evening check-in" not in " ".join(harness.said(stranger))

    await harness.start(c.amina, f"remind_{session_id}")
    await harness.tap(c.amina, c.amina, "Both")
    assert "a day before" in (harness.last(c.amina).text or "")
    await harness.start(c.juma, f"remind_{session_id}")
    await harness.tap(c.juma, c.juma, "An hour before")
    await harness.leave(c.group, c.juma)  # left the group: no more reminders
    amina_before = len(harness.said(c.amina))
    juma_before = len(harness.said(c.juma))

    await harness.restart(downtime=60)
    await wait_until(harness, at - 86_400 + 1)
    assert "is tomorrow" in (harness.last(c.amina).text or "")
    await harness.restart(downtime=60)
    await wait_until(harness, at - 3_600 + 1)
    assert "starts in an hour" in (harness.last(c.amina).text or "")
    assert len(harness.said(c.amina)) == amina_before + 2
    assert len(harness.said(c.juma)) == juma_before
    assert harness.said(c.baraka)[-1].find("Evening check-in") == -1  # nobody else reminded

    await harness.private(c.amina, "/reminders")
    assert "a day and an hour before" in (harness.last(c.amina).text or "")


async def test_rules_put_to_the_group_as_a_poll_and_adopted(harness: Harness) -> None:
    c = await circle(harness)
    proposal = "1. We listen without judging.\n2. What is shared here stays here."
    await harness.say(c.group, c.baraka, f"/rulespoll 24h\n{proposal}")
    poll_message = harness.last(c.group)
    assert poll_message.poll is not None and poll_message.poll["is_anonymous"]
    for voter, option in ((c.amina, 0), (c.juma, 0), (c.owner, 1)):
        harness.emu.vote(c.group, voter, poll_message.message_id, option)
    await harness.settle()
    await harness.advance(24 * 3_600 + 1)
    assert "Yes: 2, no: 1" in (harness.last(c.group).text or "")
    offer = harness.last(c.baraka)
    assert "Adopt" in str(offer.buttons())
    await harness.tap(c.baraka, c.baraka, "Adopt")
    assert "adopted by the group's decision" in (harness.last(c.baraka).text or "")
    store = harness.app.bot_data.store
    current = await store.rules.current(c.group.id)
    assert current is not None and "What is shared here stays here." in current.body
    entries = await store.db.fetch_all(
        "SELECT action FROM audit_log WHERE action = 'rules_adopted_by_group'"
    )
    assert len(entries) == 1
    versions = len(await store.rules.history(c.group.id))
    data = str(offer.buttons()[0]["callback_data"])
    assert harness.emu.message(c.baraka, offer.message_id).buttons() == []  # the button went
    await harness.press(c.baraka, c.baraka, offer.message_id, data, forge=True)
    assert len(await store.rules.history(c.group.id)) == versions  # adopted once only


async def test_a_poll_the_group_declines_cannot_be_adopted(harness: Harness) -> None:
    c = await circle(harness)
    await harness.say(c.group, c.baraka, "/rulespoll 2h\n1. Only admins may speak.")
    poll_message = harness.last(c.group)
    harness.emu.vote(c.group, c.amina, poll_message.message_id, 1)
    await harness.settle()
    await harness.advance(2 * 3_600 + 1)
    assert "current rules stay" in (harness.last(c.group).text or "")
    assert await harness.app.bot_data.store.rules.current(c.group.id) is None


async def stepped_to_the_end(harness: Harness, c: Circle) -> int:
    await harness.say(c.group, c.baraka, "/session add weekly wed 18:30 Evening check-in")
    session_id, _ = await only_session(harness, c.group.id)
    await harness.say(c.group, c.baraka, f"/session start {session_id}")
    for _ in template.PARTS:
        message = harness.last(c.group)
        await harness.press(
            c.baraka, c.group, message.message_id, message.buttons()[0]["callback_data"]
        )
    url = str(harness.last(c.group).buttons()[0]["url"])
    return int(url.rsplit("pulse_", 1)[1])


async def test_the_pulse_is_kept_without_any_id_and_once_per_person(harness: Harness) -> None:
    c = await circle(harness)
    run_id = await stepped_to_the_end(harness, c)
    await harness.start(c.amina, f"pulse_{run_id}")
    await harness.tap(c.amina, c.amina, "Mostly")
    await harness.private(c.amina, "More breaks please")
    assert "without your name" in (harness.last(c.amina).text or "")
    await harness.start(c.amina, f"pulse_{run_id}")
    assert "already answered" in (harness.last(c.amina).text or "")
    await harness.start(c.juma, f"pulse_{run_id}")
    await harness.tap(c.juma, c.juma, "Yes")
    await harness.tap(c.juma, c.juma, "Nothing to add")

    db = harness.app.bot_data.store.db
    pulse = [dict(r) for r in await db.fetch_all("SELECT * FROM session_pulse ORDER BY id")]
    seen = [dict(r) for r in await db.fetch_all("SELECT * FROM session_pulse_seen")]
    assert [row["answer"] for row in pulse] == ["mostly", "yes"]
    assert b"breaks" not in (pulse[0]["improve"] or b"")  # sealed at rest
    everything = repr(pulse) + repr(seen)
    for person in (c.amina, c.juma):
        assert str(person.id) not in everything
    assert await db.fetch_all("SELECT * FROM awaiting") == []
    stranger = harness.user("Eve")
    await harness.start(stranger, f"pulse_{run_id}")
    assert "no longer open" in (harness.last(stranger).text or "")


async def test_stats_for_admins_only_with_small_counts_suppressed(harness: Harness) -> None:
    c = await circle(harness)
    await stepped_to_the_end(harness, c)
    await harness.private(c.amina, "/stats")
    assert "for a group's administrators" in (harness.last(c.amina).text or "")
    await harness.private(c.baraka, "/stats")
    text = harness.last(c.baraka).text or ""
    assert "Sessions held: fewer than 5" in text
    assert "Temporary exclusions: 0" in text
    assert str(c.amina.id) not in text and "Amina" not in text
    session_id, _ = await only_session(harness, c.group.id)
    for _ in range(4):
        harness.clock.advance(60)
        await harness.say(c.group, c.baraka, f"/session start {session_id}")
    await harness.private(c.baraka, "/stats")
    assert "Sessions held: 5" in (harness.last(c.baraka).text or "")


async def test_the_reflection_at_most_quarterly_and_the_balance_only_counted(
    harness: Harness,
) -> None:
    c = await circle(harness)
    await harness.say(c.group, c.baraka, "/session reflect")
    invite = harness.last(c.group)
    url = str(invite.buttons()[0]["url"])
    assert "How is our group doing" in (invite.text or "")
    await harness.say(c.group, c.baraka, "/session reflect")
    assert "at most once every three months" in (harness.last(c.group).text or "")
    payload = url.rsplit("start=", 1)[1]
    await harness.start(c.amina, payload)
    await harness.tap(c.amina, c.amina, "Very well")
    await harness.tap(c.amina, c.amina, "Nothing to add")
    assert "without your name" in (harness.last(c.amina).text or "")

    for member, label in ((c.amina, "lived experience"), (c.juma, "family")):
        await harness.private(member, "/aboutme")
        await harness.tap(member, member, label)
    await harness.private(c.baraka, "/stats")
    text = harness.last(c.baraka).text or ""
    assert "How is our group doing: fewer than 5 answers" in text
    assert "lived experience fewer than 5, family or supporters fewer than 5" in text
    rows = await harness.app.bot_data.store.db.fetch_all("SELECT * FROM self_descriptions")
    assert len(rows) == 2
    await harness.private(c.juma, "/forgetme")
    await harness.press(c.juma, c.juma, harness.last(c.juma).message_id, "circle:forget:1")
    rows = await harness.app.bot_data.store.db.fetch_all("SELECT user_id FROM self_descriptions")
    assert [r["user_id"] for r in rows] == [c.amina.id]

    harness.clock.advance(91 * 86_400)
    await harness.say(c.group, c.baraka, "/session reflect")
    assert "How is our group doing" in (harness.last(c.group).text or "")
