"""Check-ins only for those who ask, end to end (the real Application, SQLite, the emulator)."""

from __future__ import annotations

from dataclasses import dataclass

from emulator import GroupHandle, UserHandle
from tests.support import Harness

DAY = 86_400


@dataclass(frozen=True)
class People:
    group: GroupHandle
    baraka: UserHandle
    amina: UserHandle
    juma: UserHandle


async def people(harness: Harness) -> People:
    owner = harness.user("Wanjiru")
    baraka = harness.user("Baraka")
    amina = harness.user("Amina")
    juma = harness.user("Juma")
    group = await harness.group("Peer Group", owner=owner, admins=[baraka])
    for member in (amina, juma):
        await harness.join(group, member)
    for person in (baraka, amina, juma):
        await harness.start(person)
    return People(group, baraka, amina, juma)


def checkins_to(harness: Harness, user: UserHandle) -> list[str]:
    """Every check-in the bot sent this person (even one since answered and edited)."""
    return [
        str(call.params.get("text"))
        for call in harness.emu.calls_to("sendMessage")
        if call.ok
        and str(call.params.get("chat_id")) == str(user.id)
        and str(call.params.get("text")).startswith("Hello 🌱")
    ]


async def test_a_check_in_asked_for_arrives_after_a_restart_and_nobody_else_gets_one(
    harness: Harness,
) -> None:
    p = await people(harness)
    await harness.private(p.amina, "/checkin")
    await harness.tap(p.amina, p.amina, "In 3 days")
    await harness.tap(p.amina, p.amina, "You, Pamoja")
    assert "I will check in" in (harness.last(p.amina).text or "")

    await harness.restart(downtime=DAY)
    await harness.advance(2 * DAY - 60)
    assert checkins_to(harness, p.amina) == []
    await harness.advance(120)
    assert len(checkins_to(harness, p.amina)) == 1
    labels = [b["text"] for b in harness.last(p.amina).buttons()]
    assert labels == ["I'm OK", "I'd like to talk", "Send my help text", "Stop these check-ins"]
    for person in (p.juma, p.baraka):  # no absence surveillance for anyone who did not ask
        assert checkins_to(harness, person) == []
    await harness.tap(p.amina, p.amina, "I'm OK")
    assert "glad" in (harness.last(p.amina).text or "")
    await harness.advance(30 * DAY)
    assert len(checkins_to(harness, p.amina)) == 1  # once: it was a one-off


async def test_quiet_for_two_weeks_does_not_fire_for_a_member_who_posted(harness: Harness) -> None:
    p = await people(harness)
    await harness.private(p.amina, "check in on me if I'm quiet for 2 weeks")  # plain words
    await harness.tap(p.amina, p.amina, "You, Pamoja")
    await harness.advance(10 * DAY)
    await harness.say(p.group, p.amina, "Hello everyone, a good week here")
    await harness.restart(downtime=60)
    await harness.advance(5 * DAY)  # 15 days after asking, 5 after writing
    assert checkins_to(harness, p.amina) == []
    rows = await harness.app.bot_data.store.db.fetch_all("SELECT * FROM peer_checkins")
    assert "good week" not in repr([dict(r) for r in rows])  # only when, never what
    await harness.advance(10 * DAY)  # now quiet for 15 days
    assert len(checkins_to(harness, p.amina)) == 1
    assert "quiet for 14 days" in checkins_to(harness, p.amina)[0]


async def test_an_administrator_checks_in_when_the_member_chose_one(harness: Harness) -> None:
    p = await people(harness)
    await harness.private(p.amina, "/checkin")
    await harness.tap(p.amina, p.amina, "Tomorrow")
    await harness.tap(p.amina, p.amina, "An administrator of Peer Group")
    await harness.advance(DAY + 1)
    assert len(checkins_to(harness, p.amina)) == 1
    assert any("Accept" in str(m.buttons()) for m in harness.emu.bot_messages(p.baraka))
    await harness.tap(p.baraka, p.baraka, "Accept")
    assert any("connected" in t.lower() or "accepted" in t.lower() for t in harness.said(p.amina))


async def test_stop_and_forgetme_leave_nothing(harness: Harness) -> None:
    p = await people(harness)
    await harness.private(p.amina, "/checkin")
    await harness.tap(p.amina, p.amina, "If I'm quiet for a week")
    await harness.tap(p.amina, p.amina, "You, Pamoja")
    await harness.private(p.amina, "/checkin")
    assert "You asked me to check in" in (harness.last(p.amina).text or "")
    await harness.tap(p.amina, p.amina, "Cancel check-in 1")
    await harness.advance(8 * DAY)
    assert checkins_to(harness, p.amina) == []
    await harness.private(p.juma, "/checkin")
    await harness.tap(p.juma, p.juma, "In a week")
    await harness.tap(p.juma, p.juma, "You, Pamoja")
    await harness.private(p.juma, "/forgetme")
    await harness.press(p.juma, p.juma, harness.last(p.juma).message_id, "circle:forget:1")
    rows = await harness.app.bot_data.store.db.fetch_all(
        "SELECT * FROM peer_checkins WHERE user_id = ?", (p.juma.id,)
    )
    assert rows == []
    await harness.advance(8 * DAY)
    assert checkins_to(harness, p.juma) == []
