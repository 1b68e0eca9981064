"""End-to-end flows of My circle, through the real Application."""

from __future__ import annotations

import re

from tests.circle.conftest import ADMIN, GROUP, MEMBER, OTHER, SISTER
from tests.circle.fake import Driver


async def add_person(bot: Driver, name: str, phone: str | None, asked: bool = True) -> int:
    await bot.press(MEMBER, "circle:add")
    await bot.private(MEMBER, name)
    await bot.press(MEMBER, "circle:skip")  # relationship
    if phone:
        await bot.private(MEMBER, phone)
    else:
        await bot.press(MEMBER, "circle:skip")
    await bot.press(MEMBER, "circle:skip")  # notes
    await bot.press(MEMBER, f"circle:da:{1 if asked else 0}")
    persons = await bot.app.bot_data.store.circle.persons(MEMBER)
    return persons[-1].id


async def join_group(bot: Driver) -> None:
    store = bot.app.bot_data.store
    from bot.storage.groups import BotRights

    await store.groups.upsert(GROUP, "Pamoja Nairobi", BotRights(True, True, True, True))
    await store.users.set_membership(GROUP, MEMBER, "member")
    await store.users.set_membership(GROUP, ADMIN, "administrator")
    bot.fake.admins[GROUP] = {ADMIN}
    await bot.private(ADMIN, "/start")


async def accept_invite(bot: Driver, person_id: int, who: int = SISTER) -> None:
    await bot.press(MEMBER, f"circle:i:{person_id}")
    link = next(t for t in reversed(bot.fake.sent_to(MEMBER)) if "start=c-" in t)
    token = re.search(r"start=(c-[A-Za-z0-9_-]+)", link)
    assert token is not None
    await bot.private(who, f"/start {token.group(1)}")
    invite_buttons = bot.fake.last_markup(who)
    assert invite_buttons and invite_buttons[0].startswith("circle:ia:")
    await bot.press(who, invite_buttons[0])


async def test_build_circle_guided_one_question_at_a_time(bot: Driver) -> None:
    await bot.private(MEMBER, "/mycircle")
    assert "My circle" in bot.fake.sent_to(MEMBER)[-1]
    await bot.press(MEMBER, "circle:add")
    assert "Step 1 of 5" in bot.fake.sent_to(MEMBER)[-1]
    await bot.private(MEMBER, "Wanjiru")
    await bot.private(MEMBER, "sister")
    await bot.private(MEMBER, "not a number")
    assert "doesn't look like a phone number" in bot.fake.sent_to(MEMBER)[-1]
    await bot.private(MEMBER, "0712 345 678")
    await bot.private(MEMBER, "call me in the evening")
    await bot.press(MEMBER, "circle:da:1")
    persons = await bot.app.bot_data.store.circle.persons(MEMBER)
    assert len(persons) == 1
    person = persons[0]
    assert (person.name, person.relationship, person.phone, person.notes, person.asked) == (
        "Wanjiru",
        "sister",
        "+254712345678",
        "call me in the evening",
        True,
    )
    assert await bot.app.bot_data.store.circle.draft(MEMBER) is None


async def test_cancel_and_resume(bot: Driver, tmp_path: object) -> None:
    await bot.private(MEMBER, "/mycircle")
    await bot.press(MEMBER, "circle:add")
    await bot.private(MEMBER, "Juma")
    # later: /mycircle offers to continue where they left off
    await bot.private(MEMBER, "/mycircle")
    assert "circle:resume" in bot.fake.last_markup(MEMBER)
    await bot.press(MEMBER, "circle:resume")
    assert "How are they related" in bot.fake.sent_to(MEMBER)[-1]
    await bot.private(MEMBER, "/cancel")
    assert await bot.app.bot_data.store.circle.draft(MEMBER) is None
    assert await bot.app.bot_data.store.circle.persons(MEMBER) == []
    # a plain message now gets the usual hint, not a question
    await bot.private(MEMBER, "hello")
    assert "/help" in bot.fake.sent_to(MEMBER)[-1]


async def test_at_most_three_persons_and_never_list(bot: Driver) -> None:
    await bot.private(MEMBER, "/mycircle")
    await bot.press(MEMBER, "circle:na")
    await bot.private(MEMBER, "Uncle Tom")
    await bot.private(MEMBER, "uncle")
    never = await bot.app.bot_data.store.circle.never(MEMBER)
    assert [(n.name, n.relationship) for n in never] == [("Uncle Tom", "uncle")]
    # a never-contact name cannot become a support person
    await bot.press(MEMBER, "circle:add")
    await bot.private(MEMBER, "uncle  tom")
    assert "never-contact" in bot.fake.sent_to(MEMBER)[-1]
    await bot.press(MEMBER, "circle:cancel")
    for name in ("A", "B", "C"):
        await add_person(bot, name, None)
    await bot.press(MEMBER, "circle:add")
    assert len(await bot.app.bot_data.store.circle.persons(MEMBER)) == 3
    assert await bot.app.bot_data.store.circle.draft(MEMBER) is None


async def test_edit_and_remove(bot: Driver) -> None:
    await bot.private(MEMBER, "/mycircle")
    pid = await add_person(bot, "Wanjiru", None)
    await bot.press(MEMBER, f"circle:e:{pid}:phone")
    await bot.private(MEMBER, "+254 712 345 678")
    person = await bot.app.bot_data.store.circle.person(pid)
    assert person is not None and person.phone == "+254712345678"
    await bot.press(MEMBER, f"circle:r:{pid}")
    assert await bot.app.bot_data.store.circle.person(pid) is not None
    await bot.press(MEMBER, f"circle:rr:{pid}")
    assert await bot.app.bot_data.store.circle.person(pid) is None


async def test_group_command_points_to_private_chat(bot: Driver) -> None:
    await bot.group(GROUP, MEMBER, "/mycircle")
    call = bot.fake.calls[-1]
    assert call.params["chat_id"] == GROUP
    assert "private" in call.params["text"]
    assert "t.me/pamoja_bot" in str(call.params["reply_markup"])


async def test_invite_accept_and_stepdown(bot: Driver) -> None:
    await bot.private(MEMBER, "/mycircle")
    pid = await add_person(bot, "Wanjiru", None)
    await accept_invite(bot, pid)
    person = await bot.app.bot_data.store.circle.person(pid)
    assert person is not None and person.tg_status == "accepted" and person.tg_user_id == SISTER
    assert any("accepted being your support person" in t for t in bot.fake.sent_to(MEMBER))
    # the person saw who asked and what it means
    assert any("Amani" in t and "support persons" in t for t in bot.fake.sent_to(SISTER))
    await bot.private(SISTER, "/stepdown")
    assert bot.fake.last_markup(SISTER) == [f"circle:sd:{pid}"]
    await bot.press(SISTER, f"circle:sd:{pid}")
    person = await bot.app.bot_data.store.circle.person(pid)
    assert person is not None and person.tg_status == "stepped_down" and person.tg_user_id is None
    assert "stepped down" in bot.fake.sent_to(MEMBER)[-1]


async def test_invite_declined_shares_nothing(bot: Driver) -> None:
    await bot.private(MEMBER, "/mycircle")
    pid = await add_person(bot, "Wanjiru", "0712345678")
    await bot.press(MEMBER, f"circle:i:{pid}")
    link = next(t for t in reversed(bot.fake.sent_to(MEMBER)) if "start=c-" in t)
    token = re.search(r"start=(c-[A-Za-z0-9_-]+)", link)
    assert token is not None
    await bot.private(SISTER, f"/start {token.group(1)}")
    await bot.press(SISTER, bot.fake.last_markup(SISTER)[1])
    assert "said no" in bot.fake.sent_to(MEMBER)[-1]
    assert not any("+254712345678" in t for t in bot.fake.sent_to(SISTER))
    person = await bot.app.bot_data.store.circle.person(pid)
    assert person is not None and person.tg_status == "declined" and person.tg_user_id is None


async def test_help_text_preview_is_exact(bot: Driver) -> None:
    await bot.private(MEMBER, "/mycircle")
    await bot.press(MEMBER, "circle:hw")
    await bot.private(MEMBER, "I'm having a hard time, please call me.")
    preview = bot.fake.sent_to(MEMBER)[-1]
    assert "A message from <b>Amani</b>" in preview
    assert "I&#x27;m having a hard time" in preview or "I'm having a hard time" in preview
    await bot.press(MEMBER, "circle:hs")
    profile = await bot.app.bot_data.store.circle.profile(MEMBER)
    assert profile.help_text == "I'm having a hard time, please call me."


async def test_support_now_reaches_people_and_tells_member_exactly(bot: Driver) -> None:
    await join_group(bot)
    await bot.private(MEMBER, "/mycircle")
    await bot.press(MEMBER, "circle:hw")
    await bot.private(MEMBER, "Please call me")
    await bot.press(MEMBER, "circle:hs")
    sister = await add_person(bot, "Wanjiru", None)
    await accept_invite(bot, sister)
    brother = await add_person(bot, "Kamau", "0722000111")
    await bot.private(MEMBER, "/supportnow")
    esc = (await bot.app.bot_data.store.ledger.escalations(MEMBER))[-1]
    await bot.press(MEMBER, f"circle:ep:{esc.id}:{sister}")
    await bot.press(MEMBER, f"circle:ep:{esc.id}:{brother}")
    await bot.press(MEMBER, f"circle:eok:{esc.id}")
    sister_got = bot.fake.sent_to(SISTER)[-1]
    assert "Please call me" in sister_got and "Amani" in sister_got
    admin_got = bot.fake.sent_to(ADMIN)[-1]
    assert "Kamau" in admin_got and "+254722000111" in admin_got
    assert "Wanjiru" not in admin_got  # the admin sees only the persons to phone
    member_texts = "\n".join(bot.fake.sent_to(MEMBER)[-3:])
    assert "Wanjiru: your help text was sent" in member_texts
    assert "Kamau: Baraka was asked to phone them" in member_texts
    assert "Baraka saw Kamau" in member_texts
    disclosures = await bot.app.bot_data.store.ledger.disclosures(MEMBER)
    assert {(d.person_label, d.recipient_kind, d.what) for d in disclosures} == {
        ("Wanjiru", "person", "help_text"),
        ("Kamau", "admin", "details"),
    }
    # a replayed Send does nothing more
    before = len(bot.fake.calls)
    await bot.press(MEMBER, f"circle:eok:{esc.id}")
    assert [c.method for c in bot.fake.calls[before:]] == ["answerCallbackQuery"]


async def test_support_now_nobody_reachable_is_honest_with_crisis_lines(bot: Driver) -> None:
    await bot.private(MEMBER, "/mycircle")
    pid = await add_person(bot, "Kamau", "0722000111")
    await bot.private(MEMBER, "/supportnow")
    esc = (await bot.app.bot_data.store.ledger.escalations(MEMBER))[-1]
    await bot.press(MEMBER, f"circle:ep:{esc.id}:{pid}")
    await bot.press(MEMBER, f"circle:eok:{esc.id}")
    last = bot.fake.sent_to(MEMBER)[-1]
    assert "couldn't reach anyone" in last
    assert "Kamau: could not be reached" in last
    assert await bot.app.bot_data.store.ledger.disclosures(MEMBER) == []


async def test_concern_declined_shares_nothing(bot: Driver) -> None:
    await join_group(bot)
    await bot.private(MEMBER, "/mycircle")
    await add_person(bot, "Kamau", "0722000111")
    posted = await bot.group(GROUP, MEMBER, "a hard day")
    await bot.group(GROUP, ADMIN, "/concern", reply_to=posted)
    assert any(c.method == "deleteMessage" for c in bot.fake.calls)
    assert "asked the member privately" in bot.fake.sent_to(ADMIN)[-1]
    question_buttons = bot.fake.last_markup(MEMBER)
    assert question_buttons[1].startswith("circle:cn:")
    await bot.press(MEMBER, question_buttons[1])
    assert "said no" in bot.fake.sent_to(ADMIN)[-1]
    assert "+254722000111" not in bot.fake.seen_by_others(MEMBER)
    assert "Kamau" not in bot.fake.seen_by_others(MEMBER)
    assert await bot.app.bot_data.store.ledger.disclosures(MEMBER) == []
    assert not any(
        int(c.params.get("chat_id", 0)) == GROUP and "Kamau" in str(c.params)
        for c in bot.fake.calls
    )


async def test_concern_accepted_shows_only_chosen(bot: Driver) -> None:
    await join_group(bot)
    await bot.private(MEMBER, "/mycircle")
    kamau = await add_person(bot, "Kamau", "0722000111")
    await add_person(bot, "Achieng", "0733000222")
    posted = await bot.group(GROUP, MEMBER, "a hard day")
    await bot.group(GROUP, ADMIN, "/concern", reply_to=posted)
    yes = bot.fake.last_markup(MEMBER)[0]
    await bot.press(MEMBER, yes)
    esc = (await bot.app.bot_data.store.ledger.escalations(MEMBER))[-1]
    await bot.press(MEMBER, f"circle:ep:{esc.id}:{kamau}")
    await bot.press(MEMBER, f"circle:eok:{esc.id}")
    admin_texts = "\n".join(bot.fake.sent_to(ADMIN))
    assert "+254722000111" in admin_texts
    assert "Achieng" not in admin_texts and "+254733000222" not in admin_texts
    assert "said yes" in admin_texts
    assert any("Baraka saw Kamau" in t for t in bot.fake.sent_to(MEMBER))


async def test_concern_no_answer_means_no(bot: Driver) -> None:
    await join_group(bot)
    await bot.private(MEMBER, "/mycircle")
    await add_person(bot, "Kamau", "0722000111")
    await bot.private(ADMIN, f"/concern {MEMBER}")
    await bot.advance(61 * 60)
    assert "did not answer" in bot.fake.sent_to(ADMIN)[-1]
    assert "+254722000111" not in "\n".join(bot.fake.sent_to(ADMIN))
    assert await bot.app.bot_data.store.ledger.disclosures(MEMBER) == []


async def test_advance_consent_proceeds_after_wait_and_member_told(bot: Driver) -> None:
    await join_group(bot)
    await bot.private(MEMBER, "/mycircle")
    kamau = await add_person(bot, "Kamau", "0722000111")
    await add_person(bot, "Achieng", "0733000222")
    await bot.private(MEMBER, "/consent")
    await bot.press(MEMBER, "circle:adv")
    await bot.press(MEMBER, f"circle:ap:{kamau}")
    await bot.press(MEMBER, "circle:aok")
    await bot.press(MEMBER, "circle:aw:30")
    await bot.press(MEMBER, "circle:ax:182")
    await bot.private(MEMBER, "call my brother first; no police")
    assert "Kamau" in bot.fake.sent_to(MEMBER)[-1]
    await bot.private(ADMIN, f"/concern {MEMBER}")
    await bot.advance(29 * 60)
    assert await bot.app.bot_data.store.ledger.disclosures(MEMBER) == []
    await bot.advance(2 * 60)
    admin_texts = "\n".join(bot.fake.sent_to(ADMIN))
    assert "+254722000111" in admin_texts and "no police" in admin_texts
    assert "Achieng" not in admin_texts
    member_texts = "\n".join(bot.fake.sent_to(MEMBER)[-2:])
    assert "as you agreed in advance" in member_texts
    assert "decided in advance" in member_texts
    whats = {d.what for d in await bot.app.bot_data.store.ledger.disclosures(MEMBER)}
    assert whats == {"details", "wishes"}


async def test_consent_withdraw_in_one_tap(bot: Driver) -> None:
    await bot.private(MEMBER, "/mycircle")
    kamau = await add_person(bot, "Kamau", "0722000111")
    await bot.press(MEMBER, "circle:adv")
    await bot.press(MEMBER, f"circle:ap:{kamau}")
    await bot.press(MEMBER, "circle:aok")
    await bot.press(MEMBER, "circle:aw:60")
    await bot.press(MEMBER, "circle:ax:182")
    await bot.press(MEMBER, "circle:skip")
    await bot.private(MEMBER, "/consent")
    buttons = [b for b in bot.fake.last_markup(MEMBER) if b.startswith("circle:cw:")]
    assert len(buttons) == 3
    await bot.press(MEMBER, buttons[0])
    history = await bot.app.bot_data.store.ledger.history(MEMBER)
    assert history[-1].event == "withdrawn"
    assert len([b for b in bot.fake.last_markup(MEMBER) if b.startswith("circle:cw:")]) == 2


async def test_mydata_and_forgetme(bot: Driver) -> None:
    await bot.private(MEMBER, "/mycircle")
    pid = await add_person(bot, "Wanjiru", "0712345678")
    await accept_invite(bot, pid)
    await bot.private(MEMBER, "/mydata")
    document = bot.fake.documents[-1].decode()
    assert "Wanjiru" in document and "+254712345678" in document
    await bot.private(MEMBER, "/forgetme")
    await bot.press(MEMBER, "circle:fy:1")
    store = bot.app.bot_data.store
    assert await store.circle.persons(MEMBER) == []
    assert await store.ledger.history(MEMBER) == []
    assert "no longer lists you" in bot.fake.sent_to(SISTER)[-1]
    assert "Wanjiru" not in bot.fake.sent_to(SISTER)[-1]


async def test_other_person_cannot_use_the_invite(bot: Driver) -> None:
    await bot.private(MEMBER, "/mycircle")
    pid = await add_person(bot, "Wanjiru", None)
    await bot.press(MEMBER, f"circle:i:{pid}")
    link = next(t for t in reversed(bot.fake.sent_to(MEMBER)) if "start=c-" in t)
    token = re.search(r"start=(c-[A-Za-z0-9_-]+)", link)
    assert token is not None
    await bot.private(SISTER, f"/start {token.group(1)}")
    accept = bot.fake.last_markup(SISTER)[0]
    await bot.press(OTHER, accept, chat_id=OTHER)
    person = await bot.app.bot_data.store.circle.person(pid)
    assert person is not None and person.tg_status == "invited"
    await bot.private(OTHER, f"/start {token.group(1)}")
    assert "not valid any more" in bot.fake.sent_to(OTHER)[-1]
