"""My circle end to end: the real bot, the real store, the emulator."""

from __future__ import annotations

import json

from tests.circle.conftest import (
    accept,
    add_person,
    alerts,
    callbacks,
    everything_seen_by,
    invite_link,
    press,
    text,
    world,
    write_help_text,
)
from tests.support import Harness


async def test_guided_add_one_question_at_a_time_with_phone_check(harness: Harness) -> None:
    w = await world(harness)
    await harness.private(w.member, "/mycircle")
    assert "My circle" in text(harness, w.member)
    await press(harness, w.member, "circle:add")
    assert "Step 1 of 5" in text(harness, w.member)
    await harness.private(w.member, "Wanjiru")
    assert "Step 2 of 5" in text(harness, w.member)
    await harness.private(w.member, "sister")
    await harness.private(w.member, "not a number")
    assert "doesn't look like a phone number" in text(harness, w.member)
    await harness.private(w.member, "0712 345 678")
    await harness.private(w.member, "call me in the evening")
    await press(harness, w.member, "circle:add_asked:1")
    persons = await harness.app.bot_data.store.circle.persons(w.member.id)
    assert [(p.name, p.relationship, p.phone, p.notes, p.asked) for p in persons] == [
        ("Wanjiru", "sister", "+254712345678", "call me in the evening", True)
    ]
    assert "+254712345678" in text(harness, w.member)
    assert await harness.app.bot_data.store.circle.draft(w.member.id) is None


async def test_cancel_any_step_and_resume_later_even_after_restart(harness: Harness) -> None:
    w = await world(harness)
    await harness.private(w.member, "/mycircle")
    await press(harness, w.member, "circle:add")
    await harness.private(w.member, "Juma")
    await harness.restart(downtime=3600)
    await harness.private(w.member, "/mycircle")
    await press(harness, w.member, "circle:resume")
    assert "How are they related" in text(harness, w.member)
    await harness.private(w.member, "friend")
    await press(harness, w.member, "circle:cancel")
    store = harness.app.bot_data.store
    assert await store.circle.draft(w.member.id) is None
    assert await store.circle.persons(w.member.id) == []
    await harness.private(w.member, "hello")  # no question pending: the usual hint
    assert "/help" in text(harness, w.member)
    await press(harness, w.member, "circle:add", forge=True)
    await harness.private(w.member, "Juma")
    await harness.private(w.member, "/cancel")
    assert "Stopped" in text(harness, w.member)
    assert await store.circle.draft(w.member.id) is None


async def test_three_persons_at_most_and_never_contact_list(harness: Harness) -> None:
    w = await world(harness)
    await harness.private(w.member, "/mycircle")
    await press(harness, w.member, "circle:never")
    await press(harness, w.member, "circle:never_add")
    await harness.private(w.member, "Uncle Tom")
    await harness.private(w.member, "uncle")
    store = harness.app.bot_data.store
    never = await store.circle.never(w.member.id)
    assert [(n.name, n.relationship) for n in never] == [("Uncle Tom", "uncle")]
    await harness.private(w.member, "/mycircle")
    await press(harness, w.member, "circle:add")
    await harness.private(w.member, "uncle  TOM")
    assert "never-contact" in text(harness, w.member)
    await harness.private(w.member, "/cancel")
    for name in ("A", "B", "C"):
        await add_person(harness, w.member, name)
    await harness.private(w.member, "/mycircle")
    assert "circle:add" not in callbacks(harness, w.member)
    await press(harness, w.member, "circle:add", forge=True)
    assert len(await store.circle.persons(w.member.id)) == 3
    assert "three" in alerts(harness)[-1]


async def test_edit_asked_and_remove(harness: Harness) -> None:
    w = await world(harness)
    pid = await add_person(harness, w.member, "Wanjiru", asked=False)
    await press(harness, w.member, f"circle:edit:{pid}:phone")
    await harness.private(w.member, "+254 712 345 678")
    await press(harness, w.member, f"circle:toggle_asked:{pid}")
    store = harness.app.bot_data.store
    person = await store.circle.person(pid)
    assert person is not None and person.phone == "+254712345678" and person.asked
    await press(harness, w.member, f"circle:remove:{pid}")
    await press(harness, w.member, f"circle:remove_yes:{pid}")
    assert await store.circle.person(pid) is None


async def test_in_a_group_only_a_pointer_to_the_private_chat(harness: Harness) -> None:
    w = await world(harness)
    for command in ("/mycircle", "/consent", "/mydata", "/supportnow"):
        await harness.say(w.group, w.member, command)
        message = harness.last(w.group)
        assert "private" in (message.text or "")
        assert any("t.me/" in str(b.get("url")) for b in message.buttons())


async def test_invite_accept_then_step_down(harness: Harness) -> None:
    w = await world(harness)
    pid = await add_person(harness, w.member, "Wanjiru")
    link = await invite_link(harness, w.member, pid)
    await harness.open_link(w.sister, link)
    offer = text(harness, w.sister)
    assert "Amani" in offer and "support persons" in offer and "/stepdown" in offer
    await press(harness, w.sister, callbacks(harness, w.sister)[0])
    store = harness.app.bot_data.store
    person = await store.circle.person(pid)
    assert person is not None and not person.on_telegram  # not before the member confirms
    assert "The Telegram account that accepted is: Wanjiru." in text(harness, w.member)
    await press(harness, w.member, f"circle:tg_confirm:{pid}:1")
    person = await store.circle.person(pid)
    assert person is not None and person.on_telegram and person.tg_user_id == w.sister.id
    assert "is now one of your support persons" in text(harness, w.member)
    assert "confirmed it is you" in text(harness, w.sister)
    await harness.private(w.sister, "/stepdown")
    await press(harness, w.sister, f"circle:stepdown:{pid}")
    person = await store.circle.person(pid)
    assert person is not None and person.tg_status == "stepped_down" and not person.on_telegram
    assert "stepped down" in text(harness, w.member)


async def test_invite_declined_or_expired_shares_nothing(harness: Harness) -> None:
    w = await world(harness)
    pid = await add_person(harness, w.member, "Wanjiru", "0712345678")
    await write_help_text(harness, w.member, "please call me")
    link = await invite_link(harness, w.member, pid)
    await harness.open_link(w.sister, link)
    await press(harness, w.sister, callbacks(harness, w.sister)[1])
    assert "said no" in text(harness, w.member)
    seen = everything_seen_by(harness, w.sister)
    assert "+254712345678" not in seen and "please call me" not in seen
    # an invite nobody opened in time is worthless
    old = await invite_link(harness, w.member, pid)
    await harness.advance(73 * 3600)
    await harness.open_link(w.brother, old)
    assert "not valid any more" in text(harness, w.brother)
    person = await harness.app.bot_data.store.circle.person(pid)
    assert person is not None and not person.on_telegram


async def test_help_text_preview_is_exactly_what_is_sent(harness: Harness) -> None:
    w = await world(harness)
    pid = await add_person(harness, w.member, "Wanjiru")
    await accept(harness, w.member, pid, w.sister)
    await harness.private(w.member, "/mycircle")
    await press(harness, w.member, "circle:help")
    await press(harness, w.member, "circle:help_write")
    await harness.private(w.member, "I'm having a hard time <please> call me & visit")
    preview = text(harness, w.member)
    await press(harness, w.member, "circle:help_save")
    await harness.private(w.member, "/supportnow")
    esc = (await harness.app.bot_data.store.ledger.escalations(w.member.id))[-1]
    await press(harness, w.member, f"circle:pick:{esc.id}:{pid}")
    await press(harness, w.member, f"circle:pick_done:{esc.id}")
    received = text(harness, w.sister)
    assert received in preview
    assert received == "💬 A message from Amani, sent through Pamoja:\n\n" + (
        "I'm having a hard time <please> call me & visit"
    )


async def test_support_now_help_text_and_admin_phone_request(harness: Harness) -> None:
    w = await world(harness)
    await write_help_text(harness, w.member, "Please call me")
    sister = await add_person(harness, w.member, "Wanjiru")
    await accept(harness, w.member, sister, w.sister)
    brother = await add_person(harness, w.member, "Kamau", "0722000111")
    await add_person(harness, w.member, "Achieng", "0733000222")
    await harness.private(w.member, "/supportnow")
    esc = (await harness.app.bot_data.store.ledger.escalations(w.member.id))[-1]
    await press(harness, w.member, f"circle:pick:{esc.id}:{sister}")
    await press(harness, w.member, f"circle:pick:{esc.id}:{brother}")
    await press(harness, w.member, f"circle:pick_done:{esc.id}")
    assert "Please call me" in text(harness, w.sister)
    admin_saw = everything_seen_by(harness, w.admin)
    assert "Kamau" in admin_saw and "+254722000111" in admin_saw
    assert "Wanjiru" not in admin_saw and "Achieng" not in admin_saw
    member_saw = "\n".join(harness.said(w.member)[-3:])
    assert "Wanjiru: your help text was sent on Telegram" in member_saw
    assert "Kamau: Baraka was asked to phone them" in member_saw
    assert "Baraka saw Kamau's name and number" in member_saw
    assert "Your help text was sent to Wanjiru" in member_saw
    ledger = harness.app.bot_data.store.ledger
    records = {
        (d.person_label, d.recipient_kind, d.what) for d in await ledger.disclosures(w.member.id)
    }
    assert records == {("Wanjiru", "person", "help_text"), ("Kamau", "admin", "details")}
    # the group saw nothing at all
    group_saw = everything_seen_by(harness, w.group)
    assert "Kamau" not in group_saw and "Please call me" not in group_saw


async def test_support_now_nobody_reachable_is_honest_and_shows_crisis_lines(
    harness: Harness,
) -> None:
    w = await world(harness)
    pid = await add_person(harness, w.member, "Kamau")
    await harness.private(w.member, "/supportnow")
    esc = (await harness.app.bot_data.store.ledger.escalations(w.member.id))[-1]
    await press(harness, w.member, f"circle:pick:{esc.id}:{pid}")
    await press(harness, w.member, f"circle:pick_done:{esc.id}")
    last = text(harness, w.member)
    assert "couldn't reach anyone" in last and "Kamau: could not be reached" in last
    lines = harness.app.bot_data.crisis.for_country("KE")
    assert lines and lines[0].name in last
    assert await harness.app.bot_data.store.ledger.disclosures(w.member.id) == []


async def test_support_now_without_anyone_named_shows_crisis_lines(harness: Harness) -> None:
    w = await world(harness)
    await harness.private(w.member, "/supportnow")
    assert "haven't named any support persons" in text(harness, w.member)


async def test_concern_in_group_is_deleted_and_member_says_no(harness: Harness) -> None:
    w = await world(harness)
    await add_person(harness, w.member, "Kamau", "0722000111")
    posted = await harness.say(w.group, w.member, "a hard day")
    command = await harness.say(w.group, w.admin, "/concern", reply_to=posted)
    deleted = harness.emu.message(w.group, command)
    assert deleted is not None and deleted.deleted
    assert "asked the member privately" in text(harness, w.admin)
    assert "worried about you" in text(harness, w.member)
    await press(harness, w.member, callbacks(harness, w.member)[1])  # no
    assert "said no" in text(harness, w.admin)
    assert "+254722000111" not in everything_seen_by(harness, w.admin)
    assert "Kamau" not in everything_seen_by(harness, w.admin)
    assert "Kamau" not in everything_seen_by(harness, w.group)
    assert await harness.app.bot_data.store.ledger.disclosures(w.member.id) == []


async def test_concern_talk_first(harness: Harness) -> None:
    w = await world(harness)
    await add_person(harness, w.member, "Kamau", "0722000111")
    await harness.private(w.admin, f"/concern {w.member.id}")
    await press(harness, w.member, callbacks(harness, w.member)[2])
    assert "talk with an administrator first" in text(harness, w.admin)
    assert "Kamau" not in everything_seen_by(harness, w.admin)


async def test_concern_yes_shows_only_the_chosen_persons(harness: Harness) -> None:
    w = await world(harness)
    kamau = await add_person(harness, w.member, "Kamau", "0722000111")
    await add_person(harness, w.member, "Achieng", "0733000222")
    posted = await harness.say(w.group, w.member, "a hard day")
    await harness.say(w.group, w.admin, "/concern", reply_to=posted)
    await press(harness, w.member, callbacks(harness, w.member)[0])  # yes, choose who
    esc = (await harness.app.bot_data.store.ledger.escalations(w.member.id))[-1]
    await press(harness, w.member, f"circle:pick:{esc.id}:{kamau}")
    await press(harness, w.member, f"circle:pick_done:{esc.id}")
    admin_saw = everything_seen_by(harness, w.admin)
    assert "Kamau" in admin_saw and "+254722000111" in admin_saw and "said yes" in admin_saw
    assert "Achieng" not in admin_saw and "+254733000222" not in admin_saw
    assert any("Baraka saw Kamau's name and number" in t for t in harness.said(w.member))


async def test_concern_no_answer_means_no(harness: Harness) -> None:
    w = await world(harness)
    await add_person(harness, w.member, "Kamau", "0722000111")
    await harness.private(w.admin, f"/concern {w.member.id}")
    await harness.advance(59 * 60)
    assert "did not answer" not in text(harness, w.admin)
    await harness.advance(2 * 60)
    assert "did not answer" in text(harness, w.admin)
    assert "closed without an answer" in text(harness, w.member)
    assert "Kamau" not in everything_seen_by(harness, w.admin)
    # the old buttons do nothing now
    await press(harness, w.member, callbacks(harness, w.member)[0])
    assert "no longer active" in alerts(harness)[-1]


async def decide_in_advance(
    harness: Harness, member: object, person_id: int, minutes: int, wishes: str | None
) -> None:
    from emulator import UserHandle

    assert isinstance(member, UserHandle)
    await harness.private(member, "/consent")
    await press(harness, member, "circle:advance")
    await press(harness, member, f"circle:advance_pick:{person_id}")
    await press(harness, member, "circle:advance_next")
    await press(harness, member, f"circle:advance_wait:{minutes}")
    await press(harness, member, "circle:advance_until:182")
    if wishes:
        await harness.private(member, wishes)
    else:
        await press(harness, member, "circle:skip")


async def test_advance_consent_proceeds_after_the_wait_and_member_is_told(
    harness: Harness,
) -> None:
    w = await world(harness)
    kamau = await add_person(harness, w.member, "Kamau", "0722000111")
    await add_person(harness, w.member, "Achieng", "0733000222")
    await decide_in_advance(harness, w.member, kamau, 30, "call my brother first; no police")
    assert "Kamau" in text(harness, w.member) and "30 minutes" in text(harness, w.member)
    await harness.private(w.admin, f"/concern {w.member.id}")
    assert "decided in advance" in text(harness, w.member)
    await harness.advance(29 * 60)
    assert await harness.app.bot_data.store.ledger.disclosures(w.member.id) == []
    assert "Kamau" not in everything_seen_by(harness, w.admin)
    await harness.advance(2 * 60)
    admin_saw = everything_seen_by(harness, w.admin)
    assert "+254722000111" in admin_saw and "no police" in admin_saw
    assert "Achieng" not in admin_saw
    member_saw = "\n".join(harness.said(w.member)[-2:])
    assert "as you agreed in advance on" in member_saw
    assert "did what you decided in advance" in member_saw
    whats = {d.what for d in await harness.app.bot_data.store.ledger.disclosures(w.member.id)}
    assert whats == {"details", "wishes"}


async def test_consent_view_and_withdraw_in_one_tap(harness: Harness) -> None:
    w = await world(harness)
    kamau = await add_person(harness, w.member, "Kamau", "0722000111")
    await decide_in_advance(harness, w.member, kamau, 60, None)
    await harness.private(w.member, "/consent")
    view = text(harness, w.member)
    assert "Kamau" in view and "admins may see their name and number" in view
    withdraw = [
        d for d in callbacks(harness, w.member) if d.startswith("circle:consent_withdraw:")
    ]
    assert len(withdraw) == 3
    await press(harness, w.member, withdraw[0])
    ledger = harness.app.bot_data.store.ledger
    assert (await ledger.history(w.member.id))[-1].event == "withdrawn"
    assert (
        len([d for d in callbacks(harness, w.member) if d.startswith("circle:consent_withdraw:")])
        == 2
    )
    await press(harness, w.member, "circle:consent_withdraw_all")
    assert not [
        d for d in callbacks(harness, w.member) if d.startswith("circle:consent_withdraw:")
    ]


async def test_mydata_file_and_forgetme(harness: Harness) -> None:
    w = await world(harness)
    pid = await add_person(harness, w.member, "Wanjiru", "0712345678")
    await accept(harness, w.member, pid, w.sister)
    await harness.private(w.member, "/mydata")
    files = harness.emu.sent_files(w.member)
    assert files and files[-1].file_name == "pamoja-my-data.json"
    exported = json.loads(files[-1].data or b"{}")
    assert exported["my_circle"]["support_persons"][0]["phone"] == "+254712345678"
    assert {"consents", "disclosures", "memberships", "moderation_entries_about_me"} <= set(
        exported
    )
    assert any(m["group_id"] == w.group.id for m in exported["memberships"])
    await harness.private(w.member, "/forgetme")
    await press(harness, w.member, "circle:forget:1")
    store = harness.app.bot_data.store
    assert await store.circle.persons(w.member.id) == []
    assert await store.ledger.history(w.member.id) == []
    told = text(harness, w.sister)
    assert "no longer lists you" in told and "Wanjiru" not in told
    await harness.private(w.member, "/mydata")
    again = json.loads(harness.emu.sent_files(w.member)[-1].data or b"{}")
    assert again["my_circle"]["support_persons"] == []


async def test_kiswahili_member_gets_kiswahili_texts(harness: Harness) -> None:
    w = await world(harness)
    juma = harness.user("Juma", language="sw")
    await harness.start(juma)
    await harness.private(juma, "/mycircle")
    assert "Mduara wangu" in text(harness, juma)
    await press(harness, juma, "circle:add")
    assert "Hatua 1 kati ya 5" in text(harness, juma)
    await harness.private(juma, "Mama")
    await press(harness, juma, "circle:skip")
    await harness.private(juma, "namba mbaya")
    assert "Hakuna kilichohifadhiwa" in text(harness, juma)
    assert w.member.id != juma.id


async def test_an_abandoned_question_does_not_swallow_later_messages(harness: Harness) -> None:
    w = await world(harness)
    await harness.private(w.member, "/mycircle")
    await press(harness, w.member, "circle:add")
    await harness.private(w.member, "Juma")
    await harness.advance(31 * 60)
    await harness.private(w.member, "hello")
    assert "/help" in text(harness, w.member)
    draft = await harness.app.bot_data.store.circle.draft(w.member.id)
    assert draft is not None and draft.state == "add:relationship"
    await harness.private(w.member, "/mycircle")
    await press(harness, w.member, "circle:resume")
    await harness.private(w.member, "friend")
    draft = await harness.app.bot_data.store.circle.draft(w.member.id)
    assert draft is not None and draft.data["relationship"] == "friend"


async def test_a_support_person_who_forgets_themselves_steps_down(harness: Harness) -> None:
    w = await world(harness)
    pid = await add_person(harness, w.member, "Wanjiru")
    await accept(harness, w.member, pid, w.sister)
    await harness.private(w.sister, "/forgetme")
    await press(harness, w.sister, "circle:forget:0")
    person = await harness.app.bot_data.store.circle.person(pid)
    assert person is not None and person.tg_status == "stepped_down" and person.tg_user_id is None


async def test_retention_purges_answered_escalations_but_keeps_the_members_record(
    harness: Harness,
) -> None:
    w = await world(harness)
    kamau = await add_person(harness, w.member, "Kamau", "0722000111")
    await harness.private(w.admin, f"/concern {w.member.id}")
    await press(harness, w.member, callbacks(harness, w.member)[0])
    esc = (await harness.app.bot_data.store.ledger.escalations(w.member.id))[-1]
    await press(harness, w.member, f"circle:pick:{esc.id}:{kamau}")
    await press(harness, w.member, f"circle:pick_done:{esc.id}")
    store = harness.app.bot_data.store
    await harness.advance(harness.settings.retention_days * 86400 + 2 * 86400)
    assert await store.ledger.escalations(w.member.id) == []
    # Delivered messages are gone once past the retention time (what the clock's passing
    # brought since, a rules reminder, is younger).
    kept = harness.settings.retention_days * 86400
    assert [m for m in await store.outbox.all() if m.created_at < store.clock.epoch() - kept] == []
    assert len(await store.ledger.disclosures(w.member.id)) == 1
    assert await store.ledger.history(w.member.id) != []


async def test_words_during_a_one_to_one_conversation_are_not_circle_answers(
    harness: Harness,
) -> None:
    from tests.talk.test_talk_e2e import connect, team

    t = await team(harness)
    await connect(harness, t)
    await harness.private(t.amina, "/mycircle")
    await press(harness, t.amina, "circle:add")
    await harness.private(t.amina, "are you there?")
    assert "are you there?" in harness.said(t.chebet)
    assert await harness.app.bot_data.store.circle.persons(t.amina.id) == []
    draft = await harness.app.bot_data.store.circle.draft(t.amina.id)
    assert draft is not None and draft.state == "add:name" and draft.data == {}


async def test_forgetme_forgets_what_the_bot_awaited(harness: Harness) -> None:
    w = await world(harness)
    await harness.private(w.member, "/mycircle")
    await press(harness, w.member, "circle:add")
    store = harness.app.bot_data.store
    awaited = await store.awaiting.current(w.member.id)
    assert awaited is not None and awaited.kind == "circle.answer"
    await harness.private(w.member, "/forgetme")
    await press(harness, w.member, "circle:forget:0")
    assert await store.awaiting.current(w.member.id) is None
    assert await store.circle.draft(w.member.id) is None
    await harness.private(w.member, "Juma")
    assert "/help" in text(harness, w.member)
