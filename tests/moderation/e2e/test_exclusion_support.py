"""Temporary exclusion with continued support: the private message, check-ins, the way back."""

from __future__ import annotations

import re

import pytest

from emulator import EmulatorError
from tests.moderation.e2e.conftest import Cast
from tests.support import Harness

DAY = 86400


def invite_in(text: str) -> str:
    found = re.search(r"https://t\.me/\+\S+", text)
    assert found, text
    return found.group(0)


async def test_exclusion_support_checkin_and_automatic_readmission(
    harness: Harness, cast: Cast
) -> None:
    said = await harness.say(cast.group, cast.juma, "a heated message")
    await harness.say(cast.group, cast.admin, "/exclude 3d repeated insults", reply_to=said)
    assert harness.emu.member(cast.group, cast.juma).status == "kicked"
    assert "out of the group for 3 days" in harness.said(cast.group)[-1]
    assert "repeated insults" not in " ".join(harness.said(cast.group))
    support = harness.last(cast.juma)
    text = support.text or ""
    for part in ("repeated insults", "3 days", "Otieno", "/talk", "/appeal", "link to come back"):
        assert part in text, part
    assert "Kenya Red Cross" in text  # the group's support lines (its country's, by default)
    assert any("Stop check-ins" in str(b.get("text")) for b in support.buttons())
    assert "received the support message" in harness.said(cast.owner)[-1]

    # A day later: a private check-in.
    await harness.advance(DAY)
    checkin = harness.last(cast.juma)
    assert "checking in" in (checkin.text or "")
    # The member stops the check-ins; no more come.
    await harness.tap(cast.juma, cast.juma, "Stop check-ins")
    assert "no more check-ins" in harness.said(cast.juma)[-1]
    before = len(harness.said(cast.juma))
    await harness.advance(DAY)
    assert len(harness.said(cast.juma)) == before

    # The named admin is reminded a day before the end (after two days).
    assert "A short, friendly private check-in" in harness.said(cast.admin)[-1]

    # Time is up: unbanned, a single-use link, and a welcome back.
    await harness.advance(DAY)
    welcome = harness.said(cast.juma)[-1]
    assert "Welcome back" in welcome
    link = invite_in(welcome)
    created = harness.emu.calls_to("createChatInviteLink")[-1].params
    assert int(created["member_limit"]) == 1
    assert harness.emu.member(cast.group, cast.juma).status == "left"
    assert await harness.open_link(cast.juma, link) == "joined"
    assert harness.emu.member(cast.group, cast.juma).status == "member"
    # The link works once only.
    stranger = harness.user("Stranger")
    with pytest.raises(EmulatorError):
        await harness.open_link(stranger, link)
    assert harness.emu.member(cast.group, stranger).status != "member"
    sanction = await harness.app.bot_data.store.moderation.active_sanction(
        cast.group.id, cast.juma.id, "exclude"
    )
    assert sanction is None
    assert await harness.app.bot_data.store.moderation.was_readmitted(cast.group.id, cast.juma.id)


async def test_exclusion_that_ends_while_the_bot_is_down_is_completed_at_start_up(
    harness: Harness, cast: Cast
) -> None:
    await harness.say(cast.group, cast.owner, f"/exclude {cast.juma.id} 1d")
    assert harness.emu.member(cast.group, cast.juma).status == "kicked"
    await harness.restart(downtime=2 * DAY)
    welcome = harness.said(cast.juma)[-1]
    assert "Welcome back" in welcome
    assert await harness.open_link(cast.juma, invite_in(welcome)) == "joined"
    # Done once: another restart sends nothing new.
    count = len(harness.said(cast.juma))
    await harness.restart()
    assert len(harness.said(cast.juma)) == count


async def test_excluding_a_member_who_never_started_the_bot_tells_the_admins(
    harness: Harness, cast: Cast
) -> None:
    said = await harness.say(cast.group, cast.neema, "hi")
    await harness.say(cast.group, cast.owner, "/exclude 2d", reply_to=said)
    assert harness.emu.member(cast.group, cast.neema).status == "kicked"
    assert "could not send them the support message" in harness.said(cast.owner)[-1]
    await harness.advance(2 * DAY)
    assert "could not send them their link back" in harness.said(cast.owner)[-1]


async def test_readmit_early_by_id_and_named_contact(harness: Harness, cast: Cast) -> None:
    said = await harness.say(cast.group, cast.juma, "hi")
    await harness.say(
        cast.group, cast.owner, f"/exclude 1w contact={cast.admin.id} needs a pause", reply_to=said
    )
    assert "Otieno" in harness.said(cast.juma)[-1]
    assert "needs a pause" in harness.said(cast.juma)[-1]
    await harness.say(cast.group, cast.admin, f"/readmit {cast.juma.id}")
    assert "exclusion is over" in harness.said(cast.group)[-1]
    assert "Welcome back" in harness.said(cast.juma)[-1]
    # The scheduled end and check-ins are cancelled: nothing more arrives a week later.
    count = len(harness.said(cast.juma))
    await harness.advance(8 * DAY)
    assert len(harness.said(cast.juma)) == count
    await harness.say(cast.group, cast.admin, f"/readmit {cast.juma.id}")
    assert "not excluded right now" in harness.said(cast.group)[-1]


async def test_contact_must_be_an_admin(harness: Harness, cast: Cast) -> None:
    said = await harness.say(cast.group, cast.juma, "hi")
    await harness.say(
        cast.group, cast.owner, f"/exclude 1d contact={cast.neema.id}", reply_to=said
    )
    assert "not an admin" in harness.said(cast.group)[-1]
    assert harness.emu.member(cast.group, cast.juma).status == "member"


async def test_excluded_member_can_still_talk_to_an_admin(harness: Harness, cast: Cast) -> None:
    """Continued support: the /talk the support message offers works while they are out."""
    said = await harness.say(cast.group, cast.juma, "a heated message")
    await harness.say(cast.group, cast.admin, "/exclude 3d", reply_to=said)
    await harness.private(cast.juma, "/talk")
    await harness.tap(cast.juma, cast.juma, "An administrator")
    await harness.tap(cast.juma, cast.juma, "Skip")
    requests = [
        m
        for admin in (cast.owner, cast.admin)
        for m in harness.emu.bot_messages(admin)
        if any("Accept" in str(b.get("text")) for b in m.buttons())
    ]
    assert len(requests) == 2  # both admins were asked
