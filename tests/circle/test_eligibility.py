"""Issue 10: who may receive is decided inside the gate — and a group the bot joins late knows
its members. Every scene runs through the real Application, SQLite and the emulator; the
stranger's share is read from everything the emulator holds for the stranger's chat."""

from __future__ import annotations

import json

from bot.circle import consent, disclosure
from emulator import GroupHandle, UserHandle
from tests.circle.conftest import (
    accept,
    add_person,
    callbacks,
    everything_seen_by,
    invite_link,
    press,
    text,
    write_help_text,
)
from tests.circle.test_circle_e2e import decide_in_advance
from tests.support import Harness

KAMAU = "Kamau-Secret"
PHONE_RAW = "0722 555 111"
PHONE = "+254722555111"
HELP = "Secret-help: please phone me"


def leaked(harness: Harness, chat: UserHandle | GroupHandle) -> list[str]:
    seen = everything_seen_by(harness, chat)
    return [v for v in (KAMAU, PHONE, "722555111", HELP) if v in seen]


async def real_group(harness: Harness) -> tuple[UserHandle, UserHandle, GroupHandle]:
    """Alice's real group, set up by its administrator Baraka; Alice joined and agreed."""
    baraka, alice = harness.user("Baraka"), harness.user("Alice")
    group = await harness.group("Peer group", owner=baraka)
    await harness.join(group, alice)
    await harness.start(baraka)
    await harness.start(alice)
    return baraka, alice, group


async def strangers_group(
    harness: Harness, alice: UserHandle, *, setup: bool
) -> tuple[UserHandle, GroupHandle]:
    """Eve adds the bot to a group of her own titled like Alice's, then adds Alice to it."""
    eve = harness.user("Eve")
    await harness.start(eve)
    group = await harness.group("Peer group", owner=eve, setup=setup)
    harness.emu.add_member(group, alice, by=eve)
    await harness.settle()
    return eve, group


async def support_now(harness: Harness, alice: UserHandle, pid: int) -> int:
    await harness.private(alice, "/supportnow")
    esc = (await harness.app.bot_data.store.ledger.escalations(alice.id))[-1]
    await press(harness, alice, f"circle:pick:{esc.id}:{pid}")
    await press(harness, alice, f"circle:pick_done:{esc.id}")
    return esc.id


# -- 1. the stranger's group gives the stranger nothing ---------------------------------------


async def test_a_group_never_set_up_gives_the_stranger_nothing(harness: Harness) -> None:
    baraka, alice, _ = await real_group(harness)
    eve, _ = await strangers_group(harness, alice, setup=False)
    pid = await add_person(harness, alice, KAMAU, PHONE_RAW)
    await support_now(harness, alice, pid)
    assert leaked(harness, eve) == []
    assert PHONE in everything_seen_by(harness, baraka)  # the real administrator was asked
    assert "Baraka was asked to phone them" in text(harness, alice)
    # Eve's own concern about Alice is refused, and Alice is not even asked
    before = len(harness.emu.bot_messages(alice))
    await harness.private(eve, f"/concern {alice.id}")
    assert "only raise a concern" in text(harness, eve)
    assert len(harness.emu.bot_messages(alice)) == before


async def test_only_the_strangers_group_means_nobody_receives_anything(
    harness: Harness,
) -> None:
    eve, alice = harness.user("Eve"), harness.user("Alice")
    await harness.start(eve)
    await harness.start(alice)
    group = await harness.group("Peer group", owner=eve, setup=False)
    harness.emu.add_member(group, alice, by=eve)
    await harness.settle()
    pid = await add_person(harness, alice, KAMAU, PHONE_RAW)
    await harness.private(alice, "/supportnow")
    assert "No group's administrators can be asked" in text(harness, alice)
    await support_now(harness, alice, pid)
    summary = text(harness, alice)
    assert "couldn't reach anyone" in summary and "could not be reached" in summary
    assert "Befrienders Kenya" in summary or "crisis" in summary.lower() or "116" in summary
    assert leaked(harness, eve) == []
    assert await harness.app.bot_data.store.ledger.disclosures(alice.id) == []
    refusals = await harness.app.bot_data.store.ledger.refusals(alice.id)
    assert {r["reason"] for r in refusals} == {"no_group"}


async def test_set_up_but_member_held_at_the_gate_there_gives_nothing(harness: Harness) -> None:
    baraka, alice, _ = await real_group(harness)
    eve, group = await strangers_group(harness, alice, setup=True)
    assert harness.emu.member(group, alice).status == "restricted"  # at Eve's rules gate
    pid = await add_person(harness, alice, KAMAU, PHONE_RAW)
    await support_now(harness, alice, pid)
    assert leaked(harness, eve) == []
    assert PHONE in everything_seen_by(harness, baraka)
    # by reply in her own group, Eve's concern is removed and refused too
    posted = await harness.say(group, eve, "hello")
    await harness.say(group, eve, f"/concern {alice.id}", reply_to=posted)
    await harness.private(eve, f"/concern {alice.id}")
    assert "only raise a concern" in text(harness, eve)
    escalations = await harness.app.bot_data.store.ledger.escalations(alice.id)
    assert [e.kind for e in escalations] == ["member"]


async def test_member_who_left_while_restricted_gives_nothing(harness: Harness) -> None:
    eve, alice = harness.user("Eve"), harness.user("Alice")
    await harness.start(eve)
    await harness.start(alice)
    group = await harness.group("Peer group", owner=eve)
    harness.emu.add_member(group, alice, by=eve)
    await harness.settle()
    await harness.leave(group, alice)
    member = harness.emu.member(group, alice)
    assert member.status == "restricted" and not member.is_member  # as Telegram keeps it
    assert group.id not in await harness.app.bot_data.store.users.groups_of(alice.id)
    pid = await add_person(harness, alice, KAMAU, PHONE_RAW)
    await support_now(harness, alice, pid)
    assert leaked(harness, eve) == []
    await harness.private(eve, f"/concern {alice.id}")
    assert "only raise a concern" in text(harness, eve)
    assert leaked(harness, eve) == []


async def test_the_gate_itself_refuses_an_escalation_naming_the_stranger(
    harness: Harness,
) -> None:
    """Even a caller that names Eve's group and Eve directly gets nothing through the gate."""
    _, alice, _ = await real_group(harness)
    eve, group = await strangers_group(harness, alice, setup=True)
    pid = await add_person(harness, alice, KAMAU, PHONE_RAW)
    store = harness.app.bot_data.store
    esc_id = await store.ledger.new_escalation(alice.id, "member", "picking")
    await store.ledger.set_persons(esc_id, [pid])
    await store.ledger.set_purposes(esc_id, {pid: ["see", "contact"]})
    await store.ledger.choose_chat(esc_id, group.id)
    await store.ledger.assign_admin(esc_id, group.id, eve.id, "Eve")
    await store.ledger.move(esc_id, ("picking",), "approved")
    esc = await store.ledger.escalation(esc_id)
    assert esc is not None
    await consent.give_live(harness.app, esc)
    outcomes = await disclosure.carry_out(harness.app, esc_id)
    await harness.settle()
    assert outcomes is not None and [o.how for o in outcomes] == ["unreachable"]
    assert leaked(harness, eve) == []
    assert await store.ledger.disclosures(alice.id) == []
    reasons = {r["reason"] for r in await store.ledger.refusals(alice.id)}
    assert "added_and_gated" in reasons


# -- 2. a lookalike group can be told apart ---------------------------------------------------


async def test_lookalike_groups_are_told_apart_and_the_member_chooses(harness: Harness) -> None:
    baraka, alice = harness.user("Baraka"), harness.user("Alice")
    eve = harness.user("Eve")
    for person in (baraka, alice, eve):
        await harness.start(person)
    real = harness.emu.add_group("Peer group", owner=baraka, username="peergroup_ke")
    harness.emu.add_bot_to_group(real, by=baraka)
    await harness.settle()
    await harness.say(real, baraka, "/setup")
    await harness.join(real, alice)
    fake = await harness.group("Peer group", owner=eve)
    await harness.join(fake, alice)  # she joined it herself and agreed: it counts
    pid = await add_person(harness, alice, KAMAU, PHONE_RAW)
    await harness.private(alice, "/supportnow")
    shown = text(harness, alice)
    assert "t.me/peergroup_ke" in shown  # a public link a lookalike cannot copy
    assert "members now; you joined on" in shown  # the other: count and join date
    esc = (await harness.app.bot_data.store.ledger.escalations(alice.id))[-1]
    await press(harness, alice, f"circle:pick:{esc.id}:{pid}")
    await press(harness, alice, f"circle:pick_done:{esc.id}")  # no group chosen yet
    assert "choose which group" in " ".join(str(c.params) for c in harness.emu.calls[-3:])
    await press(harness, alice, f"circle:group:{esc.id}:{real.id}")
    await press(harness, alice, f"circle:pick_done:{esc.id}")
    assert PHONE in everything_seen_by(harness, baraka)
    assert leaked(harness, eve) == []
    # Eve's concern names her and her group by what she cannot copy
    await harness.private(eve, f"/concern {alice.id}")
    question = text(harness, alice)
    assert question.startswith("Eve is an administrator of “Peer group” — ")
    assert "you joined on" in question and "t.me/peergroup_ke" not in question


# -- 3. members who were there before the bot -------------------------------------------------


async def test_a_member_from_before_the_bot_can_use_everything(harness: Harness) -> None:
    baraka, alice, other = harness.user("Baraka"), harness.user("Alice"), harness.user("Juma")
    group = await harness.group("USP-K group", owner=baraka, members=[alice, other])
    assert "Members Pamoja knows in this group: 1." in "\n".join(harness.said(group))
    await harness.start(baraka)
    await harness.start(alice)  # she never wrote in the group, no chat_member event came
    pid = await add_person(harness, alice, KAMAU, PHONE_RAW)
    await support_now(harness, alice, pid)
    assert PHONE in everything_seen_by(harness, baraka)
    assert "Baraka was asked to phone them" in text(harness, alice)
    # an administrator's /concern ID about a member from before the bot works as well
    await harness.start(other)
    await harness.private(baraka, f"/concern {other.id}")
    assert "asked the member privately" in text(harness, baraka)
    assert "Baraka is an administrator of “USP-K group”" in text(harness, other)
    await harness.say(group, baraka, "/setup")
    assert "Members Pamoja knows in this group: 3." in "\n".join(harness.said(group))


async def test_members_from_before_the_bot_become_known_as_they_take_part(
    harness: Harness,
) -> None:
    baraka, amina, juma = harness.user("Baraka"), harness.user("Amina"), harness.user("Juma")
    group = await harness.group("USP-K group", owner=baraka, members=[amina, juma])
    users = harness.app.bot_data.store.users
    posted = await harness.say(group, amina, "habari")  # a message
    await harness.react(group, juma, posted)  # a reaction
    assert await users.groups_of(amina.id) == [group.id]
    assert await users.groups_of(juma.id) == [group.id]
    await harness.say(group, baraka, "/setup")
    assert "Members Pamoja knows in this group: 3." in "\n".join(harness.said(group))


# -- 4. the support person's identity ---------------------------------------------------------


async def test_a_forwarded_invite_opened_by_a_stranger_reaches_nothing(harness: Harness) -> None:
    _baraka, alice, _ = await real_group(harness)
    stranger = harness.user("Kamau", username="not_kamau")
    await write_help_text(harness, alice, HELP)
    pid = await add_person(harness, alice, KAMAU)
    link = await invite_link(harness, alice, pid)
    await harness.open_link(stranger, link)
    await press(harness, stranger, callbacks(harness, stranger)[0])
    asked = text(harness, alice)
    assert "The Telegram account that accepted is: Kamau (@not_kamau)." in asked
    person = await harness.app.bot_data.store.circle.person(pid)
    assert person is not None and not person.on_telegram
    await support_now(harness, alice, pid)  # before any confirmation: nothing to that account
    assert HELP not in everything_seen_by(harness, stranger)
    await press(harness, alice, f"circle:tg_confirm:{pid}:0")
    assert "that account gets nothing" in everything_seen_by(harness, alice)
    await support_now(harness, alice, pid)
    assert HELP not in everything_seen_by(harness, stranger)
    assert "confirmed" not in everything_seen_by(harness, stranger)
    # a replayed confirmation does nothing
    await press(harness, alice, f"circle:tg_confirm:{pid}:1", forge=True)
    person = await harness.app.bot_data.store.circle.person(pid)
    assert person is not None and not person.on_telegram


# -- 5. purposes stay separate ----------------------------------------------------------------


async def test_purposes_ticked_separately_are_honoured_separately(harness: Harness) -> None:
    baraka, alice, _ = await real_group(harness)
    kamau = harness.user("Kamau")
    await write_help_text(harness, alice, HELP)
    pid = await add_person(harness, alice, KAMAU, PHONE_RAW)
    await accept(harness, alice, pid, kamau)
    store = harness.app.bot_data.store
    # first: the help text only (what a tap ticks for someone on Telegram)
    esc1 = await support_now(harness, alice, pid)
    live = [e for e in await store.ledger.history(alice.id) if e.escalation_id == esc1]
    assert [(e.purpose, e.event) for e in live] == [("help", "given")]
    assert HELP in everything_seen_by(harness, kamau)
    assert PHONE not in everything_seen_by(harness, baraka)
    # then: Kamau blocked the bot; help text + "admin sees number", not "may phone"
    await harness.block(kamau)
    await harness.private(alice, "/supportnow")
    esc2 = (await store.ledger.escalations(alice.id))[-1].id
    await press(harness, alice, f"circle:pick:{esc2}:{pid}")
    await press(harness, alice, f"circle:purpose:{esc2}:{pid}:1")  # admin sees number
    await press(harness, alice, f"circle:pick_done:{esc2}")
    live = [e for e in await store.ledger.history(alice.id) if e.escalation_id == esc2]
    assert sorted(e.purpose for e in live) == ["help", "see"]
    card = harness.last(baraka).text or ""
    assert PHONE in card and "to see only" in card

    # and with the help text alone, a 403 gives the administrator nothing
    def cards() -> int:
        return sum(PHONE in (m.text or "") for m in harness.emu.bot_messages(baraka))

    before = cards()
    await support_now(harness, alice, pid)
    assert cards() == before
    summary = text(harness, alice)
    assert "couldn't reach them on Telegram" in summary
    assert "Would you like an administrator to phone them?" in summary  # asked, not assumed
    esc3 = (await store.ledger.escalations(alice.id))[-1].id
    await press(harness, alice, f"circle:follow_up:{esc3}")
    esc4 = (await store.ledger.escalations(alice.id))[-1]
    assert esc4.id != esc3 and esc4.persons == (pid,)
    assert esc4.purposes_of(pid) == ("see", "contact")
    assert cards() == before  # not before Send
    await press(harness, alice, f"circle:pick_done:{esc4.id}")
    assert cards() == before + 1
    assert "was asked to phone them" in text(harness, alice)
    await press(harness, alice, f"circle:follow_up:{esc3}")  # a second press: nothing new
    assert (await store.ledger.escalations(alice.id))[-1].id == esc4.id


# -- 6. records tell the truth ----------------------------------------------------------------


async def test_an_undelivered_card_is_not_recorded_as_seen(harness: Harness) -> None:
    baraka, alice, _ = await real_group(harness)
    pid = await add_person(harness, alice, KAMAU, PHONE_RAW)
    harness.emu.fail_next(
        "sendMessage", 403, "Forbidden: bot was blocked by the user", chat_id=baraka.id
    )
    await support_now(harness, alice, pid)
    records = await harness.app.bot_data.store.ledger.disclosures(alice.id)
    assert [(d.what, d.status) for d in records] == [("details", "undelivered")]
    summary = text(harness, alice)
    assert "couldn't reach Baraka, so nobody saw their details" in summary
    assert "couldn't reach anyone" in summary  # honest, with the crisis lines
    assert "Who saw what" not in everything_seen_by(harness, alice)
    assert not any(PHONE in (m.text or "") for m in harness.emu.bot_messages(baraka))


async def test_a_delivered_card_is_recorded_as_seen_and_told(harness: Harness) -> None:
    baraka, alice, _ = await real_group(harness)
    pid = await add_person(harness, alice, KAMAU, PHONE_RAW)
    await support_now(harness, alice, pid)
    records = await harness.app.bot_data.store.ledger.disclosures(alice.id)
    assert [(d.what, d.status, d.recipient_id) for d in records] == [
        ("details", "seen", baraka.id)
    ]
    assert f"Baraka saw {KAMAU}'s name and number" in everything_seen_by(harness, alice)


async def test_a_demoted_admin_hears_nothing_more(harness: Harness) -> None:
    baraka, alice, group = await real_group(harness)
    neema = harness.user("Neema")
    await harness.join(group, neema)
    harness.emu.promote(group, neema, by=baraka)
    await harness.start(neema)
    await harness.private(neema, f"/concern {alice.id}")
    assert "asked the member privately" in text(harness, neema)
    harness.emu.demote(group, neema, by=baraka)
    await harness.settle()
    before = len(harness.emu.bot_messages(neema))
    await press(harness, alice, callbacks(harness, alice)[1])  # "No, please don't"
    assert len(harness.emu.bot_messages(neema)) == before
    reasons = {r["reason"] for r in await harness.app.bot_data.store.ledger.refusals(alice.id)}
    assert "not_admin" in reasons


async def test_a_strangers_concern_cannot_block_a_real_administrators(harness: Harness) -> None:
    baraka, alice, _ = await real_group(harness)
    eve = harness.user("Eve")
    await harness.start(eve)
    fake = await harness.group("Peer group", owner=eve)
    await harness.join(fake, alice)  # she joined and agreed: Eve may ask her
    await harness.private(eve, f"/concern {alice.id}")
    assert "asked the member privately" in text(harness, eve)
    await harness.private(baraka, f"/concern {alice.id}")
    assert "asked the member privately" in text(harness, baraka)
    await harness.private(baraka, f"/concern {alice.id}")
    assert "already been asked" in text(harness, baraka)


async def test_an_administrators_concerns_are_rate_limited(harness: Harness) -> None:
    baraka, _alice, group = await real_group(harness)
    members = [harness.user(f"Member{i}") for i in range(6)]
    for member in members:
        await harness.join(group, member)
        await harness.start(member)
    for member in members[:5]:
        await harness.private(baraka, f"/concern {member.id}")
        assert "asked the member privately" in text(harness, baraka)
    await harness.private(baraka, f"/concern {members[5].id}")
    assert "several concerns today" in text(harness, baraka)
    assert await harness.app.bot_data.store.ledger.escalations(members[5].id) == []
    await harness.advance(25 * 3600)
    await harness.private(baraka, f"/concern {members[5].id}")
    assert "asked the member privately" in text(harness, baraka)


# -- 7. fair admin choice ---------------------------------------------------------------------


async def test_phone_cards_rotate_over_two_reachable_admins(harness: Harness) -> None:
    baraka, alice, group = await real_group(harness)
    neema = harness.user("Neema")
    await harness.join(group, neema)
    harness.emu.promote(group, neema, by=baraka)
    await harness.start(neema)
    pid = await add_person(harness, alice, KAMAU, PHONE_RAW)
    got = []
    for _ in range(4):
        await support_now(harness, alice, pid)
        esc = (await harness.app.bot_data.store.ledger.escalations(alice.id))[-1]
        got.append(esc.admin_id)
    assert got == [baraka.id, neema.id, baraka.id, neema.id]
    # on duty comes first: Neema says she is on duty, and /setup shows it
    await harness.say(group, neema, "/duty on")
    await harness.say(group, baraka, "/setup")
    assert "On duty: Neema" in "\n".join(harness.said(group))
    for _ in range(2):
        await support_now(harness, alice, pid)
        esc = (await harness.app.bot_data.store.ledger.escalations(alice.id))[-1]
        assert esc.admin_id == neema.id


async def test_the_member_may_pick_a_named_admin(harness: Harness) -> None:
    baraka, alice, group = await real_group(harness)
    neema = harness.user("Neema")
    await harness.join(group, neema)
    harness.emu.promote(group, neema, by=baraka)
    await harness.start(neema)
    pid = await add_person(harness, alice, KAMAU, PHONE_RAW)
    await harness.private(alice, "/supportnow")
    esc = (await harness.app.bot_data.store.ledger.escalations(alice.id))[-1]
    await press(harness, alice, f"circle:pick:{esc.id}:{pid}")
    await press(harness, alice, f"circle:admins:{esc.id}")
    await press(harness, alice, f"circle:admin_pick:{esc.id}:{neema.id}")
    assert "The administrator: Neema" in text(harness, alice)
    await press(harness, alice, f"circle:pick_done:{esc.id}")
    assert PHONE in everything_seen_by(harness, neema)
    assert PHONE not in everything_seen_by(harness, baraka)
    # a forged pick of someone who is not an administrator changes nothing
    await harness.private(alice, "/supportnow")
    esc = (await harness.app.bot_data.store.ledger.escalations(alice.id))[-1]
    await press(harness, alice, f"circle:admin_pick:{esc.id}:{alice.id}", forge=True)
    refreshed = await harness.app.bot_data.store.ledger.escalation(esc.id)
    assert refreshed is not None and not refreshed.admin_chosen


# -- 8. anonymous administrators --------------------------------------------------------------


async def test_an_anonymous_admins_concern_disappears_with_a_neutral_short_note(
    harness: Harness,
) -> None:
    baraka, alice, group = await real_group(harness)
    posted = await harness.say(group, alice, "hello all")
    command = await harness.say(group, baraka, "/concern", reply_to=posted, anonymous_admin=True)
    removed = harness.emu.message(group, command)
    assert removed is not None and removed.deleted
    note = harness.last(group)
    assert "own account" in (note.text or "") and "concern" not in (note.text or "").lower()
    await harness.advance(61)
    gone = harness.emu.message(group, note.message_id)
    assert gone is not None and gone.deleted
    assert await harness.app.bot_data.store.ledger.escalations(alice.id) == []


async def test_a_card_delivered_on_retry_becomes_seen_only_then(harness: Harness) -> None:
    baraka, alice, _ = await real_group(harness)
    pid = await add_person(harness, alice, KAMAU, PHONE_RAW)
    harness.emu.fail_next("sendMessage", 502, "Bad Gateway", chat_id=baraka.id)
    await support_now(harness, alice, pid)
    store = harness.app.bot_data.store
    assert [d.status for d in await store.ledger.disclosures(alice.id)] == ["pending"]
    assert "still trying to reach Baraka" in text(harness, alice)
    assert "Who saw what" not in everything_seen_by(harness, alice)
    await harness.advance(61)
    assert [d.status for d in await store.ledger.disclosures(alice.id)] == ["seen"]
    assert PHONE in (harness.last(baraka).text or "")
    told = text(harness, alice)
    assert "Who saw what" in told and f"Baraka saw {KAMAU}'s name and number" in told


async def test_refusals_are_the_members_own_record_and_forgetme_erases_them(
    harness: Harness,
) -> None:
    eve, alice = harness.user("Eve"), harness.user("Alice")
    await harness.start(eve)
    await harness.start(alice)
    group = await harness.group("Peer group", owner=eve)
    harness.emu.add_member(group, alice, by=eve)
    await harness.settle()
    await harness.private(eve, f"/concern {alice.id}")
    pid = await add_person(harness, alice, KAMAU, PHONE_RAW)
    pending = await invite_link(harness, alice, pid)
    await harness.open_link(eve, pending)
    await press(harness, eve, callbacks(harness, eve)[0])  # Eve accepts Kamau's invite
    await harness.private(alice, "/mydata")
    exported = json.loads(harness.emu.sent_files(alice)[-1].data or b"{}")
    refused = exported["refused_by_the_gate"]
    assert refused and {r["reason"] for r in refused} == {"added_and_gated"}
    assert all(
        set(r) == {"escalation_id", "chat_id", "recipient_id", "purpose", "reason", "created_at"}
        for r in refused
    )
    store = harness.app.bot_data.store
    assert await store.circle.confirmation(pid) is not None
    await harness.private(alice, "/forgetme")
    await press(harness, alice, "circle:forget:0")
    assert await store.ledger.refusals(alice.id) == []
    assert await store.circle.confirmation(pid) is None
    assert leaked(harness, eve) == []


async def test_an_advance_decision_holds_only_for_the_groups_shown_then(
    harness: Harness,
) -> None:
    baraka, alice, _ = await real_group(harness)
    pid = await add_person(harness, alice, KAMAU, PHONE_RAW)
    await decide_in_advance(harness, alice, pid, 30, "no police")
    assert "It holds for the administrators of:\n“Peer group”" in text(harness, alice)
    eve = harness.user("Eve")
    await harness.start(eve)
    later = await harness.group("Peer group", owner=eve)
    await harness.join(later, alice)  # joined after deciding: the decision is not for Eve
    await harness.private(eve, f"/concern {alice.id}")
    assert "asked the member privately" in text(harness, eve)
    await harness.advance(31 * 60)
    assert leaked(harness, eve) == [] and "no police" not in everything_seen_by(harness, eve)
    reasons = {r["reason"] for r in await harness.app.bot_data.store.ledger.refusals(alice.id)}
    assert "group_not_chosen" in reasons
    await harness.private(baraka, f"/concern {alice.id}")
    await harness.advance(31 * 60)
    seen = everything_seen_by(harness, baraka)
    assert PHONE in seen and "no police" in seen


async def test_asking_telegram_leaves_no_record_of_groups_someone_is_not_in(
    harness: Harness,
) -> None:
    baraka, alice, _ = await real_group(harness)
    other = await harness.group("Another group", owner=baraka)
    pid = await add_person(harness, alice, KAMAU, PHONE_RAW)
    await support_now(harness, alice, pid)  # every set-up group was asked about Alice
    assert await harness.app.bot_data.store.users.membership(other.id, alice.id) is None


async def test_duty_privately_and_by_someone_who_is_not_an_admin(harness: Harness) -> None:
    baraka, alice, group = await real_group(harness)
    await harness.private(baraka, "/duty on")
    assert "You are on duty for Peer group" in text(harness, baraka)
    assert await harness.app.bot_data.store.ledger.on_duty(group.id) == {baraka.id}
    await harness.private(alice, "/duty on")
    assert "not an administrator" in text(harness, alice)
    await harness.private(baraka, "/duty maybe")
    assert "/duty on or /duty off" in text(harness, baraka)
    await harness.private(baraka, "/duty off")
    assert await harness.app.bot_data.store.ledger.on_duty(group.id) == set()


async def test_forged_choices_change_nothing(harness: Harness) -> None:
    _baraka, alice, real = await real_group(harness)
    eve, fake = await strangers_group(harness, alice, setup=False)
    pid = await add_person(harness, alice, KAMAU)  # no phone, no Telegram: nothing to tick
    await harness.private(alice, "/supportnow")
    store = harness.app.bot_data.store
    esc = (await store.ledger.escalations(alice.id))[-1]
    assert esc.chat_id == real.id and esc.chat_chosen
    await press(harness, alice, f"circle:group:{esc.id}:{fake.id}", forge=True)
    await press(harness, alice, f"circle:pick:{esc.id}:{pid}")
    for forged in (
        f"circle:purpose:{esc.id}:{pid}:1",  # "admin sees number" is not offered: no number
        f"circle:purpose:{esc.id}:{pid}:7",
        f"circle:admin_pick:{esc.id}:{eve.id}",
        f"circle:follow_up:{esc.id}",
    ):
        await press(harness, alice, forged, forge=True)
    after = await store.ledger.escalation(esc.id)
    assert after is not None and after.chat_id == real.id and after.purposes_of(pid) == ()
    assert not after.admin_chosen and after.status == "picking"
    # Eve pressing Alice's buttons: not hers
    await press(harness, eve, f"circle:group:{esc.id}:{fake.id}", forge=True)
    await press(harness, eve, f"circle:pick_done:{esc.id}", forge=True)
    again = await store.ledger.escalation(esc.id)
    assert again is not None and again.status == "picking" and again.chat_id == real.id
    assert leaked(harness, eve) == []


async def test_an_anonymous_admin_works_from_their_own_account(harness: Harness) -> None:
    owner, alice = harness.user("Baraka"), harness.user("Alice")
    group = harness.emu.add_group("Peer group", owner=owner, anonymous_owner=True)
    harness.emu.add_bot_to_group(group, by=owner)
    await harness.settle()
    await harness.say(group, owner, "/setup", anonymous_admin=True)
    await harness.join(group, alice)
    await harness.start(owner)
    await harness.start(alice)
    await harness.private(owner, f"/concern {alice.id}")
    assert "asked the member privately" in text(harness, owner)
    assert "Baraka is an administrator of “Peer group”" in text(harness, alice)


async def test_a_strangers_group_never_chooses_the_crisis_lines_shown(harness: Harness) -> None:
    eve, alice = harness.user("Eve"), harness.user("Alice")
    await harness.start(eve)
    await harness.start(alice)
    group = await harness.group("Peer group", owner=eve)
    await harness.app.bot_data.store.groups.update_setting(group.id, "crisis_country", "TZ")
    harness.emu.add_member(group, alice, by=eve)
    await harness.settle()
    pid = await add_person(harness, alice, KAMAU, PHONE_RAW)
    await support_now(harness, alice, pid)
    summary = text(harness, alice)
    assert "Kenya Red Cross" in summary and "C-Sema" not in summary
