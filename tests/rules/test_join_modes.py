"""Join modes end to end (issue 11 item 3): open (gate only), approval (agree first, then an
administrator decides; agreeing never approves), invitation (personal single-use links from
/invite; other requests declined kindly). Real Application, real SQLite, the emulator."""

from __future__ import annotations

import re

import pytest

from emulator import GroupHandle, UserHandle
from emulator.errors import EmulatorError
from tests.rules.test_rules_e2e import DAY, rules_button, team, text
from tests.support import Harness

LINK = re.compile(r"https://t\.me/\+\S+")


async def set_mode(harness: Harness, group: GroupHandle, owner: UserHandle, mode: str) -> None:
    await harness.say(group, owner, f"/settings join {mode}")
    if mode != "open":  # what the admins still do in Telegram for the mode to hold
        assert "Approve new members" in harness.said(group)[-1]
    assert harness.app.bot_data.store is not None
    stored = await harness.app.bot_data.store.groups.get(group.id)
    assert stored is not None and stored.join_mode == mode


async def test_approval_mode_agreeing_never_approves_an_admin_decides(harness: Harness) -> None:
    t = await team(harness, join_by_request=True)
    await set_mode(harness, t.group, t.amina, "approval")
    store = harness.app.bot_data.store
    baraka = harness.user("Baraka")
    await harness.request_join(t.group, baraka)
    rules = harness.last(baraka)
    assert "an administrator will look at your request" in text(rules)
    # Nobody is asked before the applicant agrees, and an approval then is refused.
    assert "asked to join" not in text(harness.last(t.amina))
    request = await store.rules.request_pending(t.group.id, baraka.id)
    assert request is not None
    # (an Approve button replayed from an earlier notice, as a modified client could send)
    await harness.press(
        t.amina,
        t.amina,
        harness.last(t.amina).message_id,
        f"rules:approve:{request.id}",
        forge=True,
    )
    assert "have not agreed to the ground rules yet" in harness.emu.transcript()
    assert harness.emu.member(t.group, baraka).status == "left"

    # The applicant's own "I agree" is recorded and does NOT let them in.
    await harness.press(baraka, baraka, rules.message_id, rules_button(rules))
    assert harness.emu.member(t.group, baraka).status == "left"
    assert [r.user_id for r in harness.emu.join_requests(t.group)] == [baraka.id]
    assert await store.rules.has_accepted(t.group.id, baraka.id, 0)
    assert "An administrator will look at your request soon" in text(harness.last(baraka))
    # A second tap (the button is gone; a replayed one) changes nothing.
    await harness.press(baraka, baraka, rules.message_id, rules_button(rules), forge=True)
    assert harness.emu.member(t.group, baraka).status == "left"

    # Now the admins are asked, with the applicant's id shown, and one tap approves.
    notice = text(harness.last(t.amina))
    assert "Baraka" in notice and f"id {baraka.id}" in notice and "agreed" in notice
    await harness.tap(t.amina, t.amina, "Approve")
    assert harness.emu.member(t.group, baraka).status == "member"
    assert harness.emu.can_post(t.group, baraka)  # agreed already: no second gate
    # (Telegram tells Baraka itself; he never started the bot, so the bot does not write.)
    rows = await store.db.fetch_all(
        "SELECT status, how, decided_by FROM rules_join_requests WHERE user_id = ?",
        (baraka.id,),
    )
    assert [tuple(r) for r in rows] == [("approved", "admin", t.amina.id)]


async def test_approval_mode_decline_reminder_and_expiry(harness: Harness) -> None:
    t = await team(harness, join_by_request=True)
    await set_mode(harness, t.group, t.amina, "approval")
    store = harness.app.bot_data.store

    # An admin declines with one tap, from the private chat (any time).
    neema = harness.user("Neema")
    await harness.request_join(t.group, neema)
    await harness.press(
        neema, neema, harness.last(neema).message_id, rules_button(harness.last(neema))
    )
    await harness.tap(t.amina, t.amina, "Decline")
    assert harness.emu.join_requests(t.group) == []
    assert harness.emu.member(t.group, neema).status == "left"
    assert "could not accept your request" in text(harness.last(neema))
    rows = await store.db.fetch_all(
        "SELECT status, how, decided_by FROM rules_join_requests WHERE user_id = ?", (neema.id,)
    )
    assert [tuple(r) for r in rows] == [("declined", "admin", t.amina.id)]

    # Agreed but nobody answers: admins are reminded after a day, closed after three.
    ali = harness.user("Ali")
    await harness.request_join(t.group, ali)
    await harness.press(ali, ali, harness.last(ali).message_id, rules_button(harness.last(ali)))
    await harness.advance(DAY + 60)
    assert "has been waiting for a day" in text(harness.last(t.amina))
    await harness.advance(2 * DAY)
    rows = await store.db.fetch_all(
        "SELECT status, how FROM rules_join_requests WHERE user_id = ?", (ali.id,)
    )
    assert [tuple(r) for r in rows] == [("expired", "unanswered")]
    assert harness.emu.join_requests(t.group) == []


async def test_invitation_mode_personal_links_and_kind_declines(harness: Harness) -> None:
    t = await team(harness, join_by_request=True)
    await set_mode(harness, t.group, t.amina, "invitation")
    store = harness.app.bot_data.store

    # A request without a personal link is declined, with a kind private word.
    stranger = harness.user("Stranger")
    await harness.request_join(t.group, stranger)
    assert harness.emu.join_requests(t.group) == []
    assert harness.emu.member(t.group, stranger).status == "left"
    assert "by a personal invitation" in text(harness.last(stranger))
    rows = await store.db.fetch_all(
        "SELECT status, how FROM rules_join_requests WHERE user_id = ?", (stranger.id,)
    )
    assert [tuple(r) for r in rows] == [("declined", "invitation")]

    # /invite in the group: the link goes to the admin privately, never into the group.
    command = await harness.say(t.group, t.amina, "/invite for Neema")
    assert "sent you a personal invite link privately" in text(harness.last(t.group))
    assert not LINK.search("\n".join(harness.said(t.group)))
    assert command not in [
        m.message_id for m in harness.emu.messages(t.group, include_deleted=False)
    ]
    found = LINK.search(text(harness.last(t.amina)))
    assert found is not None
    link = found.group(0)
    made = harness.emu.calls_to("createChatInviteLink")
    assert made[-1].params.get("member_limit") in (1, "1")
    (stored,) = [ln for ln in harness.emu.invite_links(t.group) if ln.url == link]
    assert stored.member_limit == 1 and stored.name == "for Neema"

    # The invited person joins by it and meets the rules gate; the link works once only.
    neema = harness.user("Neema")
    assert await harness.open_link(neema, link) == "joined"
    assert harness.emu.member(t.group, neema).status in ("member", "restricted")
    assert await harness.agree_to_rules(t.group, neema)
    assert harness.emu.can_post(t.group, neema)
    other = harness.user("Other")
    with pytest.raises(EmulatorError, match="member limit"):
        harness.emu.open_link(other, link)

    # A member who is not an admin cannot make links.
    await harness.say(t.group, t.juma, "/invite")
    assert "Only the group's administrators" in text(harness.last(t.group))


async def test_invite_in_private_picks_among_the_admins_groups(harness: Harness) -> None:
    t = await team(harness)
    second = await harness.group("Second Group", owner=t.amina)
    await harness.private(t.amina, "/invite")
    assert "Which group is this for?" in text(harness.last(t.amina))
    await harness.tap(t.amina, t.amina, "Second Group")
    found = LINK.search(text(harness.last(t.amina)))
    assert found is not None and "Second Group" in text(harness.last(t.amina))
    newcomer = harness.user("Newcomer")
    await harness.open_link(newcomer, found.group(0))
    assert harness.emu.member(second, newcomer).status in ("member", "restricted")
    # Someone who administers nothing is told kindly.
    await harness.start(t.juma)
    await harness.private(t.juma, "/invite")
    assert "don't know a group you administer" in text(harness.last(t.juma))


async def test_a_mode_the_bot_cannot_keep_is_refused(harness: Harness) -> None:
    t = await team(harness, join_by_request=True, rights={"can_invite_users": False})
    await harness.say(t.group, t.amina, "/settings join approval")
    assert "I need the right to invite users" in text(harness.last(t.group))
    stored = await harness.app.bot_data.store.groups.get(t.group.id)
    assert stored is not None and stored.join_mode == "open"
    await harness.say(t.group, t.amina, "/invite")
    assert "I can't make invite links" in text(harness.last(t.group))
    assert not [c for c in harness.emu.calls if c.error_code == 400]
