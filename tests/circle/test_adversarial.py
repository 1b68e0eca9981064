"""Trying to get a support person's detail without the member's consent. Every attempt must
fail and reveal nothing: not to another member, not to an administrator without consent, not
after withdrawal or expiry, not with forged or replayed buttons, not with an old invite link,
not through the audit log, not through someone else's /mydata, not through error paths."""

from __future__ import annotations

import json
from pathlib import Path

from bot.circle import disclosure
from emulator import UserHandle
from tests.circle.conftest import (
    World,
    accept,
    alerts,
    callbacks,
    everything_seen_by,
    invite_link,
    press,
    text,
    world,
    write_help_text,
)
from tests.circle.test_circle_e2e import decide_in_advance
from tests.support import Harness

NAME = "Zawadi-Secretname"
PHONE_RAW = "0722 987 654"
PHONE = "+254722987654"
NOTES = "Secret-notes: hums when anxious"
HELP = "Secret-help: please come over"
WISHES = "Secret-wishes: no police"
PLANTED = (NAME, PHONE, "722987654", NOTES, HELP, WISHES)


def leaks(harness: Harness, chat: UserHandle | object) -> list[str]:
    seen = everything_seen_by(harness, chat)  # type: ignore[arg-type]
    return [value for value in PLANTED if value in seen]


async def circle_with_secret(harness: Harness, w: World) -> int:
    await write_help_text(harness, w.member, HELP)
    await harness.private(w.member, "/mycircle")
    await press(harness, w.member, "circle:add")
    await harness.private(w.member, NAME)
    await harness.private(w.member, "sister")
    await harness.private(w.member, PHONE_RAW)
    await harness.private(w.member, NOTES)
    await press(harness, w.member, "circle:add_asked:1")
    persons = await harness.app.bot_data.store.circle.persons(w.member.id)
    return persons[-1].id


async def test_another_member_with_forged_buttons_gets_nothing(harness: Harness) -> None:
    w = await world(harness)
    pid = await circle_with_secret(harness, w)
    await harness.private(w.other, "/mycircle")
    for data in (
        f"circle:person:{pid}",
        f"circle:invite:{pid}",
        f"circle:edit:{pid}:phone",
        f"circle:toggle_asked:{pid}",
        f"circle:remove:{pid}",
        f"circle:remove_yes:{pid}",
        f"circle:stepdown:{pid}",
        f"circle:advance_pick:{pid}",
        "circle:person:abc",
        "circle:zz",
        "circle:pick:1:1",
        "circle:pick_done:1",
        "circle:consent_withdraw:1",
        "circle:accept:1",
    ):
        await press(harness, w.other, data, forge=True)
    assert leaks(harness, w.other) == []
    store = harness.app.bot_data.store
    person = await store.circle.person(pid)
    assert person is not None and person.name == NAME and person.phone == PHONE
    assert await store.circle.draft(w.other.id) is None
    # pressing the member's own message from the other's account is impossible in Telegram;
    # the bot refuses it anyway when the data arrives from another chat
    assert all(a in {"None"} or "Nothing was changed" in a for a in alerts(harness)[-14:])


async def test_member_escalation_buttons_refuse_anyone_else(harness: Harness) -> None:
    w = await world(harness)
    pid = await circle_with_secret(harness, w)
    await harness.private(w.member, "/supportnow")
    esc = (await harness.app.bot_data.store.ledger.escalations(w.member.id))[-1]
    await harness.private(w.admin, "/mycircle")
    for data in (
        f"circle:pick:{esc.id}:{pid}",
        f"circle:pick_done:{esc.id}",
        f"circle:approve:{esc.id}",
    ):
        await press(harness, w.admin, data, forge=True)
    assert "someone else" in alerts(harness)[-1]
    refreshed = await harness.app.bot_data.store.ledger.escalation(esc.id)
    assert refreshed is not None and refreshed.status == "picking" and refreshed.persons == ()
    assert leaks(harness, w.admin) == []


async def test_admin_without_consent_sees_nothing_ever(harness: Harness) -> None:
    w = await world(harness)
    await circle_with_secret(harness, w)
    await harness.private(w.admin, f"/concern {w.member.id}")
    esc = (await harness.app.bot_data.store.ledger.escalations(w.member.id))[-1]
    # the admin tries the member's answer buttons, and a second concern
    for data in (
        f"circle:approve:{esc.id}",
        f"circle:pick_done:{esc.id}",
        f"circle:pick:{esc.id}:1",
    ):
        await press(harness, w.admin, data, forge=True)
    await harness.private(w.admin, f"/concern {w.member.id}")
    assert "already been asked" in text(harness, w.admin)
    await harness.advance(2 * 3600)
    assert "did not answer" in text(harness, w.admin)
    assert leaks(harness, w.admin) == []
    assert leaks(harness, w.group) == []
    # even calling the gate directly for a closed escalation yields nothing
    assert await disclosure.carry_out(harness.app, esc.id) is None


async def test_non_admin_concern_is_refused(harness: Harness) -> None:
    w = await world(harness)
    await circle_with_secret(harness, w)
    await harness.private(w.other, f"/concern {w.member.id}")
    assert "only raise a concern" in text(harness, w.other)
    posted = await harness.say(w.group, w.member, "hello")
    before = len(harness.said(w.group))
    command = await harness.say(w.group, w.other, "/concern", reply_to=posted)
    removed = harness.emu.message(w.group, command)
    assert removed is not None and removed.deleted
    assert len(harness.said(w.group)) == before  # the group sees nothing about it
    assert "Only the group's administrators" in text(harness, w.other)
    assert await harness.app.bot_data.store.ledger.escalations(w.member.id) == []
    assert leaks(harness, w.other) == [] and leaks(harness, w.group) == []


async def test_after_withdrawal_advance_consent_no_longer_applies(harness: Harness) -> None:
    w = await world(harness)
    pid = await circle_with_secret(harness, w)
    await decide_in_advance(harness, w.member, pid, 30, WISHES)
    await harness.private(w.member, "/consent")
    await press(harness, w.member, "circle:consent_withdraw_all")
    await harness.private(w.admin, f"/concern {w.member.id}")
    await harness.advance(3 * 3600)
    assert "did not answer" in text(harness, w.admin)
    assert leaks(harness, w.admin) == []
    assert await harness.app.bot_data.store.ledger.disclosures(w.member.id) == []


async def test_after_advance_consent_expired_nothing_is_shared(harness: Harness) -> None:
    w = await world(harness)
    pid = await circle_with_secret(harness, w)
    await harness.private(w.member, "/consent")
    await press(harness, w.member, "circle:advance")
    await press(harness, w.member, f"circle:advance_pick:{pid}")
    await press(harness, w.member, "circle:advance_next")
    await press(harness, w.member, "circle:advance_wait:30")
    await press(harness, w.member, "circle:advance_until:30")
    await harness.private(w.member, WISHES)
    await harness.advance(31 * 86400)
    assert "reached the end date" in text(harness, w.member)
    await harness.private(w.admin, f"/concern {w.member.id}")
    await harness.advance(3 * 3600)
    assert "did not answer" in text(harness, w.admin)
    assert leaks(harness, w.admin) == []
    history = await harness.app.bot_data.store.ledger.history(w.member.id)
    assert "expired" in {entry.event for entry in history}


async def test_admin_who_lost_rights_before_delivery_sees_nothing(harness: Harness) -> None:
    w = await world(harness)
    pid = await circle_with_secret(harness, w)
    helper = harness.user("Neema")
    await harness.join(w.group, helper)
    harness.emu.promote(w.group, helper, by=w.admin)
    await harness.start(helper)
    await harness.private(helper, f"/concern {w.member.id}")
    assert "asked the member privately" in text(harness, helper)
    await press(harness, w.member, callbacks(harness, w.member)[0])
    esc = (await harness.app.bot_data.store.ledger.escalations(w.member.id))[-1]
    await press(harness, w.member, f"circle:pick:{esc.id}:{pid}")
    harness.emu.demote(w.group, helper, by=w.admin)  # no longer an administrator
    await harness.settle()
    await press(harness, w.member, f"circle:pick_done:{esc.id}")
    assert leaks(harness, helper) == []
    assert await harness.app.bot_data.store.ledger.disclosures(w.member.id) == []
    assert "could not be reached" in text(harness, w.member)


async def test_never_contact_name_blocks_disclosure(harness: Harness) -> None:
    w = await world(harness)
    pid = await circle_with_secret(harness, w)
    await harness.private(w.member, "/mycircle")
    await press(harness, w.member, "circle:never")
    await press(harness, w.member, "circle:never_add")
    await harness.private(w.member, NAME.upper())
    await press(harness, w.member, "circle:skip")
    await harness.private(w.admin, f"/concern {w.member.id}")
    await press(harness, w.member, callbacks(harness, w.member)[0])
    esc = (await harness.app.bot_data.store.ledger.escalations(w.member.id))[-1]
    await press(harness, w.member, f"circle:pick:{esc.id}:{pid}")
    await press(harness, w.member, f"circle:pick_done:{esc.id}")
    assert leaks(harness, w.admin) == []
    assert await harness.app.bot_data.store.ledger.disclosures(w.member.id) == []


async def test_replayed_buttons_do_nothing_more(harness: Harness) -> None:
    w = await world(harness)
    pid = await circle_with_secret(harness, w)
    await harness.private(w.admin, f"/concern {w.member.id}")
    question = callbacks(harness, w.member)
    await press(harness, w.member, question[1])  # no
    await press(harness, w.member, question[0], forge=True)  # then "yes" from the old message
    assert "no longer active" in alerts(harness)[-1]
    esc = (await harness.app.bot_data.store.ledger.escalations(w.member.id))[-1]
    await press(harness, w.member, f"circle:pick:{esc.id}:{pid}", forge=True)
    await press(harness, w.member, f"circle:pick_done:{esc.id}", forge=True)
    assert leaks(harness, w.admin) == []
    assert await harness.app.bot_data.store.ledger.disclosures(w.member.id) == []


async def test_old_and_used_invite_links_reveal_nothing(harness: Harness) -> None:
    w = await world(harness)
    pid = await circle_with_secret(harness, w)
    link = await invite_link(harness, w.member, pid)
    await harness.open_link(w.sister, link)
    await press(harness, w.sister, callbacks(harness, w.sister)[0])
    await harness.open_link(w.other, link)  # single use
    assert "not valid any more" in text(harness, w.other)
    await harness.open_link(w.other, link.replace("start=c-", "start=c-x"))  # guessed
    assert "not valid any more" in text(harness, w.other)
    assert leaks(harness, w.other) == []
    # the support person never sees the member's notes or other persons' details
    assert leaks(harness, w.sister) == []


async def test_someone_elses_mydata_is_never_sent(harness: Harness) -> None:
    w = await world(harness)
    await circle_with_secret(harness, w)
    await harness.private(w.other, f"/mydata {w.member.id}")
    exported = json.loads(harness.emu.sent_files(w.other)[-1].data or b"{}")
    assert exported["user_id"] == w.other.id
    assert leaks(harness, w.other) == []


async def test_audit_log_and_group_hold_no_circle_details(harness: Harness) -> None:
    w = await world(harness)
    pid = await circle_with_secret(harness, w)
    await accept(harness, w.member, pid, w.sister)
    await harness.private(w.member, "/supportnow")
    esc = (await harness.app.bot_data.store.ledger.escalations(w.member.id))[-1]
    await press(harness, w.member, f"circle:pick:{esc.id}:{pid}")
    await press(harness, w.member, f"circle:pick_done:{esc.id}")
    assert HELP in text(harness, w.sister)
    entries = await harness.app.bot_data.store.audit.recent(w.group.id, limit=100)
    blob = " ".join(f"{e.action} {e.detail}" for e in entries)
    assert not [v for v in PLANTED if v in blob]
    assert leaks(harness, w.group) == []
    assert leaks(harness, w.other) == []


async def test_error_paths_reveal_nothing(harness: Harness) -> None:
    w = await world(harness)
    pid = await circle_with_secret(harness, w)
    await harness.private(w.member, "/mycircle")
    await press(harness, w.member, f"circle:edit:{pid}:phone")
    await harness.private(w.member, "12")
    assert "Nothing was saved" in text(harness, w.member)
    person = await harness.app.bot_data.store.circle.person(pid)
    assert person is not None and person.phone == PHONE
    await harness.private(w.other, "/concern not-a-number")
    await harness.private(w.other, "/stepdown")
    assert "not listed" in text(harness, w.other)
    assert leaks(harness, w.other) == []


async def test_nothing_readable_in_the_database_files(harness: Harness, tmp_path: Path) -> None:
    w = await world(harness)
    pid = await circle_with_secret(harness, w)
    await accept(harness, w.member, pid, w.sister)
    await decide_in_advance(harness, w.member, pid, 30, WISHES)
    await harness.private(w.member, "/mycircle")
    await press(harness, w.member, "circle:never_add", forge=True)
    await harness.private(w.member, "Secret-never-person")
    await press(harness, w.member, "circle:skip")
    await harness.private(w.member, "/supportnow")
    esc = (await harness.app.bot_data.store.ledger.escalations(w.member.id))[-1]
    await press(harness, w.member, f"circle:pick:{esc.id}:{pid}")
    await press(harness, w.member, f"circle:pick_done:{esc.id}")
    await harness.private(w.member, "/mycircle")
    await press(harness, w.member, "circle:add")
    await harness.private(w.member, "Secret-draft-name")  # a draft mid-conversation
    database = Path(harness.settings.database_path)
    raw = b"".join(
        path.read_bytes()
        for path in database.parent.iterdir()
        if path.name.startswith(database.name)
    )
    assert len(raw) > 0
    for value in (*PLANTED, "Secret-never-person", "Secret-draft-name"):
        assert value.encode() not in raw, value


async def test_every_verb_forged_by_someone_else_and_old_or_garbage_data_do_nothing(
    harness: Harness,
) -> None:
    """Every circle verb, pressed by another member with the member's ids; the buttons of
    before the one data format; and garbage. Nothing of the member's changes or shows."""
    w = await world(harness)
    pid = await circle_with_secret(harness, w)
    await decide_in_advance(harness, w.member, pid, 30, WISHES)
    await invite_link(harness, w.member, pid)
    await harness.private(w.member, "/mycircle")
    await press(harness, w.member, "circle:never")
    await press(harness, w.member, "circle:never_add")
    await harness.private(w.member, "Secret-never-person")
    await press(harness, w.member, "circle:skip")
    await harness.private(w.member, "/supportnow")
    store = harness.app.bot_data.store
    esc = (await store.ledger.escalations(w.member.id))[-1]
    consent_id = (await store.ledger.history(w.member.id))[-1].id
    invite = (await store.db.fetch_one("SELECT id FROM circle_invites ORDER BY id DESC"))["id"]
    never = (await store.circle.never(w.member.id))[-1].id
    ledger_before = await store.ledger.history(w.member.id)
    person_before = await store.circle.person(pid)
    forged = [
        f"circle:person:{pid}",
        f"circle:edit:{pid}:name",
        f"circle:edit:{pid}:phone",
        f"circle:toggle_asked:{pid}",
        f"circle:invite:{pid}",
        f"circle:remove:{pid}",
        f"circle:remove_yes:{pid}",
        f"circle:never_remove:{never}",
        f"circle:accept:{invite}",
        f"circle:decline:{invite}",
        f"circle:stepdown:{pid}",
        f"circle:consent_withdraw:{consent_id}",
        f"circle:advance_pick:{pid}",
        "circle:advance_next",
        "circle:advance_wait:30",
        "circle:advance_until:30",
        f"circle:approve:{esc.id}",
        f"circle:refuse:{esc.id}",
        f"circle:talk_first:{esc.id}",
        f"circle:pick:{esc.id}:{pid}",
        f"circle:pick_done:{esc.id}",
        f"circle:pick_cancel:{esc.id}",
        "circle:add_asked:1",
        "circle:help_save",
        "circle:skip",
        "circle:resume",
    ]
    # the data of before the one format (two-letter verbs): no longer anyone's button
    old = [
        f"circle:p:{pid}",
        f"circle:e:{pid}:phone",
        f"circle:k:{pid}",
        f"circle:i:{pid}",
        f"circle:r:{pid}",
        f"circle:rr:{pid}",
        f"circle:nr:{never}",
        f"circle:ia:{invite}",
        f"circle:id:{invite}",
        f"circle:sd:{pid}",
        f"circle:cw:{consent_id}",
        "circle:cwa",
        f"circle:ap:{pid}",
        "circle:aok",
        "circle:aw:30",
        "circle:ax:30",
        f"circle:cy:{esc.id}",
        f"circle:cn:{esc.id}",
        f"circle:ct:{esc.id}",
        f"circle:ep:{esc.id}:{pid}",
        f"circle:eok:{esc.id}",
        f"circle:ex:{esc.id}",
        "circle:da:1",
        "circle:hs",
        "circle:hd",
        "circle:hw",
        "circle:h",
        "circle:nv",
        "circle:na",
        "circle:cs",
        "circle:sn",
        "circle:adv",
        "circle:fy:1",
        "circle:fn",
    ]
    garbage = [
        "circle:person:abc",
        "circle:person:",
        "circle:person:-1",
        "circle:person:99999999999999999999999",
        f"circle:pick:{esc.id}",
        f"circle:pick:{esc.id}:x",
        "circle:edit:1:password",
        "circle:accept",
        "circle",
        "circle:",
        "circle::1",
        "circle:PERSON:1",
        "circle:zz",
        "talk:person:1",
        "x" * 64,
    ]
    before = len(alerts(harness))
    for data in (*forged, *old, *garbage):
        await press(harness, w.other, data, forge=True)
    assert leaks(harness, w.other) == []
    assert await store.circle.person(pid) == person_before
    assert await store.ledger.history(w.member.id) == ledger_before
    refreshed = await store.ledger.escalation(esc.id)
    assert refreshed is not None and refreshed.status == "picking" and refreshed.persons == ()
    assert [n.id for n in await store.circle.never(w.member.id)] == [never]
    assert await store.ledger.disclosures(w.member.id) == []
    answered = alerts(harness)[before:]
    assert answered and all(a == "None" or "Nothing was changed" in a for a in answered)
