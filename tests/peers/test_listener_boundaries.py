"""A peer listener's boundaries: asked only within the hours they chose; a monthly check that
is theirs alone, whose answers pause or stop them."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.support import Harness
from tests.talk.test_talk_e2e import ask, offer_of, team

DAY = 86_400


def nairobi_hour(harness: Harness) -> int:
    return (datetime.fromtimestamp(harness.clock.epoch(), UTC).hour + 3) % 24


async def test_a_listener_is_asked_only_within_their_hours(harness: Harness) -> None:
    t = await team(harness)
    juma = harness.user("Juma")
    await harness.join(t.group, juma)
    await harness.start(juma)
    await harness.private(juma, "/listener on")
    now = nairobi_hour(harness)
    closed = (now + 2) % 24, (now + 4) % 24  # a span that does not include now
    await harness.private(juma, f"/listener hours {closed[0]}-{closed[1]}")
    assert "only ask you to listen between" in (harness.last(juma).text or "")
    before = len(harness.emu.bot_messages(juma))
    await ask(harness, t.amina, "A peer listener", topic=None)
    assert len(harness.emu.bot_messages(juma)) == before  # outside their hours: not asked
    await harness.private(t.amina, "/end")
    await harness.private(juma, "/listener hours any")
    await ask(harness, t.amina, "A peer listener", topic=None)
    assert offer_of(harness, juma)
    await harness.private(juma, "/listener hours 25-3")
    assert "/listener hours 18-22" in (harness.last(juma).text or "")


async def test_the_monthly_listener_check_is_private_and_a_pause_is_honoured(
    harness: Harness,
) -> None:
    t = await team(harness)
    juma = harness.user("Juma")
    await harness.join(t.group, juma)
    await harness.start(juma)
    await harness.private(juma, "/listener on")
    await harness.restart(downtime=60)
    await harness.advance(30 * DAY)
    assert "How are you doing as a listener?" in (harness.last(juma).text or "")
    assert not any("as a listener" in text for text in harness.said(t.amina))
    await harness.tap(juma, juma, "I'd like a pause")
    assert "you are paused" in (harness.last(juma).text or "")
    await harness.private(t.amina, "/talk")  # nobody listens now: no peer listener offered
    offered = [b["text"] for b in harness.last(t.amina).buttons()]
    assert offered and not any("peer listener" in label.lower() for label in offered)
    await harness.advance(30 * DAY)  # still a listener (paused): asked again, kindly
    assert "as a listener" in (harness.last(juma).text or "")
