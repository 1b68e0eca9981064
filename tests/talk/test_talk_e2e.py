"""One-to-one contact end to end: the real bot, the real store, the emulator."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.talk.policy import TalkPolicy, policy, set_policy
from emulator import GroupHandle, UserHandle
from tests.support import Harness

TOPIC = "I'm having a hard week"


@dataclass
class Team:
    group: GroupHandle
    owner: UserHandle
    baraka: UserHandle
    chebet: UserHandle
    amina: UserHandle


async def team(harness: Harness, *, owner_started: bool = False) -> Team:
    """A group with an owner, two administrators who started the bot, and a member, Amina."""
    owner = harness.user("Wanjiru")
    baraka = harness.user("Baraka", username="baraka_k")
    chebet = harness.user("Chebet")
    amina = harness.user("Amina", username="amina_w")
    group = await harness.group("Peer Group", owner=owner, admins=[baraka, chebet])
    await harness.join(group, amina)
    for person in (baraka, chebet, amina, *([owner] if owner_started else [])):
        await harness.start(person)
    return Team(group, owner, baraka, chebet, amina)


async def ask(harness: Harness, member: UserHandle, kind: str, topic: str | None = TOPIC) -> None:
    await harness.private(member, "/talk")
    await harness.tap(member, member, kind)
    if topic is None:
        await harness.tap(member, member, "Skip")
    else:
        await harness.private(member, topic)


def offer_of(harness: Harness, helper: UserHandle) -> int:
    for message in reversed(harness.emu.bot_messages(helper)):
        if any(
            str(b.get("callback_data", "")).startswith("talk:accept:") for b in message.buttons()
        ):
            return message.message_id
    raise LookupError("no request offered")


def text_of(harness: Harness, chat: UserHandle | GroupHandle, message_id: int) -> str:
    message = harness.emu.message(chat, message_id)
    assert message is not None
    return message.text or ""


async def connect(harness: Harness, t: Team) -> None:
    await ask(harness, t.amina, "An administrator")
    await harness.tap(t.chebet, t.chebet, "Accept")


async def conversation_row(harness: Harness, member: UserHandle) -> dict[str, object]:
    row = await harness.app.bot_data.store.db.fetch_one(
        "SELECT * FROM talk_conversations WHERE member_id = ? ORDER BY id DESC LIMIT 1",
        (member.id,),
    )
    assert row is not None
    return dict(row)


async def test_second_admin_accepts_after_first_declines(harness: Harness) -> None:
    t = await team(harness)
    await ask(harness, t.amina, "An administrator")
    assert "passed your request" in (harness.last(t.amina).text or "")
    baraka_copy, chebet_copy = offer_of(harness, t.baraka), offer_of(harness, t.chebet)
    offer = text_of(harness, t.baraka, baraka_copy)
    assert "Peer Group" in offer and TOPIC in offer
    assert "Amina" not in offer and "amina_w" not in offer  # the member stays anonymous
    assert harness.emu.bot_messages(t.owner) == []  # never started the bot: not reachable

    await harness.tap(t.baraka, t.baraka, "Not now")
    assert "not now" in text_of(harness, t.baraka, baraka_copy)
    assert (await conversation_row(harness, t.amina))["status"] == "pending"

    await harness.press(t.chebet, t.chebet, chebet_copy, text_of_data(harness, t.chebet))
    assert "You accepted" in text_of(harness, t.chebet, chebet_copy)
    assert "Someone else from the team has taken" in text_of(harness, t.baraka, baraka_copy)
    assert harness.emu.message(t.baraka, baraka_copy).buttons() == []  # type: ignore[union-attr]
    assert "connected with an administrator" in (harness.last(t.amina).text or "")
    assert "connected with a member of" in harness.said(t.chebet)[-1]
    assert TOPIC in harness.said(t.chebet)[-1]
    row = await conversation_row(harness, t.amina)
    assert (row["status"], row["helper_id"], row["topic"]) == ("open", t.chebet.id, None)

    # A late press on the old copy changes nothing.
    await harness.press(t.baraka, t.baraka, baraka_copy, f"talk:accept:{row['id']}", forge=True)
    assert (await conversation_row(harness, t.amina))["helper_id"] == t.chebet.id


def text_of_data(harness: Harness, helper: UserHandle) -> str:
    message = harness.emu.message(helper, offer_of(harness, helper))
    assert message is not None
    return next(
        str(b["callback_data"])
        for b in message.buttons()
        if str(b.get("callback_data", "")).startswith("talk:accept:")
    )


async def test_text_and_photo_relayed_both_ways_then_member_ends(harness: Harness) -> None:
    t = await team(harness)
    await connect(harness, t)
    await harness.private(t.amina, "Thank you for answering")
    assert harness.said(t.chebet)[-1] == "Thank you for answering"
    relayed = harness.last(t.chebet)
    assert relayed.forward_origin is None  # copied, not forwarded: no account shown
    await harness.private(t.chebet, "I'm here. Take your time.")
    assert harness.said(t.amina)[-1] == "I'm here. Take your time."

    harness.emu.send_photo(t.amina, t.amina, caption="my garden")
    await harness.settle()
    photo = harness.last(t.chebet)
    assert photo.media is not None and photo.media.kind == "photo" and photo.caption == "my garden"
    harness.emu.send_photo(t.chebet, t.chebet)
    await harness.settle()
    back = harness.last(t.amina)
    assert back.media is not None and back.media.kind == "photo"

    # Nothing said is stored.
    db = harness.app.bot_data.store.db
    for table in ("talk_conversations", "talk_offers", "audit_log", "scheduled_actions"):
        for row in await db.fetch_all(f"SELECT * FROM {table}"):
            assert "garden" not in str(dict(row)) and "Take your time" not in str(dict(row))

    await harness.private(t.amina, "/end")
    assert "You've ended the conversation" in (harness.last(t.amina).text or "")
    assert "The member has ended the conversation" in harness.said(t.chebet)[-1]
    row = await conversation_row(harness, t.amina)
    assert row["status"] == "closed" and row["closed_at"] is not None
    # After the end, private messages are not relayed any more.
    await harness.private(t.amina, "still there?")
    assert harness.said(t.chebet)[-1] != "still there?"
    assert "/help" in (harness.last(t.amina).text or "")


async def test_helper_ends_and_commands_are_not_relayed(harness: Harness) -> None:
    t = await team(harness)
    await connect(harness, t)
    await harness.private(t.amina, "/help")
    assert "/help" not in harness.said(t.chebet)[-1]
    await harness.private(t.chebet, "/end")
    assert "Thank you for being there" in (harness.last(t.chebet).text or "")
    assert "The conversation has ended" in (harness.last(t.amina).text or "")
    assert (await conversation_row(harness, t.amina))["status"] == "closed"


async def test_nobody_accepts_member_told_request_resent_crisis_lines(harness: Harness) -> None:
    t = await team(harness)
    await ask(harness, t.amina, "An administrator", topic=None)
    first_copy = offer_of(harness, t.baraka)
    wait = policy(harness.app.bot_data).accept_seconds
    await harness.advance(wait + 1)
    told = harness.last(t.amina).text or ""
    assert "volunteers" in told and "sent your request once more" in told
    assert "Kenya Red Cross" in told  # the group's crisis lines (country KE)
    assert "sent again below" in text_of(harness, t.baraka, first_copy)
    second_copy = offer_of(harness, t.baraka)
    assert second_copy != first_copy
    assert "Sent again" in text_of(harness, t.baraka, second_copy)

    await harness.advance(wait + 1)
    final = harness.last(t.amina).text or ""
    assert "nobody from the team was free" in final
    assert harness.emu.bot_messages(t.amina)[-1].text == final
    assert "Nobody was free" in text_of(harness, t.chebet, offer_of_any(harness, t.chebet))
    row = await conversation_row(harness, t.amina)
    assert row["status"] == "expired" and row["round"] == 2


def offer_of_any(harness: Harness, helper: UserHandle) -> int:
    return harness.emu.bot_messages(helper)[-1].message_id


async def test_crisis_lines_are_the_groups(harness: Harness) -> None:
    t = await team(harness)
    data = harness.app.bot_data
    group = await data.store.groups.get(t.group.id)
    assert group is not None
    lines = data.crisis.render(data.texts, "en", group.crisis_country)
    await ask(harness, t.amina, "An administrator", topic=None)
    await harness.advance(policy(data).accept_seconds + 1)
    plain = re.sub(r"<[^>]+>", "", lines)
    told = harness.last(t.amina).text or ""
    for line in plain.splitlines()[1:]:
        assert line.strip() in told


async def test_listener_pausing_gets_no_requests(harness: Harness) -> None:
    t = await team(harness)
    juma = harness.user("Juma")
    await harness.join(t.group, juma)
    await harness.start(juma)
    await harness.private(juma, "/listener on")
    assert "peer listener for" in (harness.last(juma).text or "")
    await ask(harness, t.amina, "A peer listener", topic=None)
    assert offer_of(harness, juma)
    await harness.private(t.amina, "/end")
    assert "withdrawn" in (harness.last(t.amina).text or "")
    assert "withdrew" in (harness.last(juma).text or "")

    await harness.private(juma, "/listener pause")
    assert "on a break" in (harness.last(juma).text or "")
    before = len(harness.emu.bot_messages(juma))
    await harness.private(t.amina, "/talk")  # no one listens now: the choice is not offered
    assert [b["text"] for b in harness.last(t.amina).buttons()] == ["An administrator"]
    await harness.press(
        t.amina,
        t.amina,
        harness.last(t.amina).message_id,
        f"talk:kind:{t.group.id}:listener",
        forge=True,
    )  # an old button still answers kindly
    await harness.tap(t.amina, t.amina, "Skip")
    assert len(harness.emu.bot_messages(juma)) == before
    told = harness.last(t.amina).text or ""
    assert "nobody I can pass your request to" in told
    assert any("administrator instead" in b["text"] for b in harness.last(t.amina).buttons())

    await harness.private(juma, "/listener resume")
    await ask(harness, t.amina, "A peer listener", topic=None)
    assert len(harness.emu.bot_messages(juma)) > before + 1


async def test_member_can_avoid_a_listener(harness: Harness) -> None:
    t = await team(harness)
    juma = harness.user("Juma")
    await harness.join(t.group, juma)
    await harness.start(juma)
    await harness.private(juma, "/listener on")
    await ask(harness, t.amina, "A peer listener", topic=None)
    await harness.tap(juma, juma, "Accept")
    await harness.private(juma, "/end")
    await harness.tap(t.amina, t.amina, "Don't match me")
    before = len(harness.emu.bot_messages(juma))
    await ask(harness, t.amina, "A peer listener", topic=None)
    assert len(harness.emu.bot_messages(juma)) == before
    assert "nobody I can pass" in (harness.last(t.amina).text or "")


async def test_request_rate_limit(harness: Harness) -> None:
    t = await team(harness)
    allowed = policy(harness.app.bot_data).requests_per_hour
    for _ in range(allowed):
        await ask(harness, t.amina, "An administrator", topic=None)
        assert "passed your request" in (harness.last(t.amina).text or "")
        await harness.private(t.amina, "/end")
    offers_before = len(harness.emu.bot_messages(t.baraka))
    await ask(harness, t.amina, "An administrator", topic=None)
    assert "asked several times in the last hour" in (harness.last(t.amina).text or "")
    assert len(harness.emu.bot_messages(t.baraka)) == offers_before
    await harness.advance(3601)
    await ask(harness, t.amina, "An administrator", topic=None)
    assert "passed your request" in (harness.last(t.amina).text or "")


async def test_one_open_conversation_per_member(harness: Harness) -> None:
    t = await team(harness)
    await connect(harness, t)
    await harness.private(t.amina, "/talk")
    assert "already have a conversation open" in (harness.last(t.amina).text or "")


async def test_blocked_helper_is_reported_to_the_member(harness: Harness) -> None:
    t = await team(harness)
    await connect(harness, t)
    await harness.block(t.chebet)
    await harness.private(t.amina, "are you there?")
    told = harness.last(t.amina).text or ""
    assert "couldn't deliver your message" in told and "/talk again" in told
    row = await conversation_row(harness, t.amina)
    assert (row["status"], row["closed_reason"]) == ("closed", "undeliverable")


async def test_helper_can_end_and_block_abusive_member(harness: Harness) -> None:
    t = await team(harness)
    await connect(harness, t)
    await harness.tap(t.chebet, t.chebet, "block their requests")
    await harness.tap(t.chebet, t.chebet, "Yes, end and block")
    assert "The conversation has ended" in (harness.last(t.amina).text or "")
    entries = await harness.app.bot_data.store.audit.recent(t.group.id)
    block = next(e for e in entries if e.action == "talk_block")
    assert (block.actor_id, block.target_id, block.detail) == (t.chebet.id, t.amina.id, None)
    before = len(harness.emu.bot_messages(t.chebet))
    await ask(harness, t.amina, "An administrator", topic=None)
    assert len(harness.emu.bot_messages(t.chebet)) == before
    assert offer_of(harness, t.baraka)


async def test_sharing_a_username_is_a_choice(harness: Harness) -> None:
    t = await team(harness)
    await connect(harness, t)
    assert all("amina_w" not in text for text in harness.said(t.chebet))
    await harness.tap(t.amina, t.amina, "Share my Telegram account")
    assert "@amina_w" in harness.said(t.chebet)[-1]
    await harness.private(t.chebet, "/share")
    shared = harness.last(t.amina)
    assert "Chebet" in (shared.text or "")
    assert f"tg://user?id={t.chebet.id}" in str(shared.entities)


async def test_idle_conversation_closes_itself_with_notice(harness: Harness) -> None:
    t = await team(harness)
    await connect(harness, t)
    idle = policy(harness.app.bot_data).idle_seconds
    await harness.advance(idle - 60)
    await harness.private(t.amina, "still thinking")
    await harness.advance(120)
    assert (await conversation_row(harness, t.amina))["status"] == "open"
    await harness.advance(idle)
    assert "quiet for" in (harness.last(t.amina).text or "")
    assert "quiet for" in harness.said(t.chebet)[-1]
    assert (await conversation_row(harness, t.amina))["closed_reason"] == "idle"


async def test_admin_team_chat_gets_the_request(harness: Harness) -> None:
    t = await team(harness)
    team_chat = harness.emu.add_group("Admins", owner=t.owner, admins=[t.baraka])
    harness.emu.add_bot_to_group(team_chat, by=t.owner, as_admin=False)
    await harness.settle()
    store = harness.app.bot_data.store
    await store.groups.update_setting(t.group.id, "admin_chat_id", team_chat.id)
    await ask(harness, t.amina, "An administrator", topic=None)
    chebet_copy = offer_of(harness, t.chebet)
    assert "one-to-one with an administrator" in harness.said(team_chat)[-1]
    # Someone who never started the bot privately is asked to do so first.
    await harness.tap(t.owner, team_chat, "Accept")
    assert (await conversation_row(harness, t.amina))["status"] == "pending"
    await harness.tap(t.baraka, team_chat, "Accept")
    assert "A team member has taken" in harness.said(team_chat)[-1]
    row = await conversation_row(harness, t.amina)
    assert (row["status"], row["helper_id"]) == ("open", t.baraka.id)
    assert "Someone else from the team" in text_of(harness, t.chebet, chebet_copy)
    assert "connected with a member" in harness.said(t.baraka)[-1]


async def test_talk_in_group_points_to_private_chat(harness: Harness) -> None:
    t = await team(harness)
    await harness.say(t.group, t.amina, "/talk")
    reply = harness.last(t.group)
    assert "private chat" in (reply.text or "")
    url = str(reply.buttons()[0]["url"])
    assert url.endswith("?start=talk")
    await harness.start(t.amina, "talk")
    assert "Who would you like to talk with" in (harness.last(t.amina).text or "")


async def test_feedback_is_stored_without_any_link_to_its_sender(harness: Harness) -> None:
    t = await team(harness)
    db = harness.app.bot_data.store.db
    audit_before = await db.fetch_all("SELECT * FROM audit_log")
    users_before = await db.fetch_all("SELECT * FROM users")
    await harness.private(t.amina, "/feedback")
    explain = harness.last(t.amina).text or ""
    assert "without your name" in explain
    await harness.private(t.amina, "Please start sessions on time")
    assert "Please start sessions on time" in (harness.last(t.amina).text or "")
    await harness.tap(t.amina, t.amina, "Send anonymously")
    assert "Sent, anonymously" in (harness.last(t.amina).text or "")

    delivered = [harness.said(admin)[-1] for admin in (t.baraka, t.chebet)]
    for text in delivered:
        assert "Anonymous feedback for Peer Group" in text
        assert "Please start sessions on time" in text
        assert "Amina" not in text and "amina_w" not in text

    rows = await db.fetch_all("SELECT * FROM talk_feedback")
    assert len(rows) == 1
    row = dict(rows[0])
    assert set(row) == {"id", "chat_id", "week", "body"}
    assert row["chat_id"] == t.group.id
    assert str(t.amina.id) not in str(row)
    assert b"sessions" not in bytes(row["body"])
    assert row["week"].count("-W") == 1  # only the week, never a time
    # Nothing else recorded the moment: no audit entry, no change to what is kept about people.
    assert await db.fetch_all("SELECT * FROM audit_log") == audit_before
    assert [dict(r) for r in await db.fetch_all("SELECT * FROM users")] == [
        dict(r) for r in users_before
    ]


async def test_policy_is_configurable(harness: Harness) -> None:
    set_policy(harness.app.bot_data, TalkPolicy(accept_minutes=5, requests_per_hour=1))
    t = await team(harness)
    await ask(harness, t.amina, "An administrator", topic=None)
    await harness.advance(5 * 60 + 1)
    assert "sent your request once more" in (harness.last(t.amina).text or "")
    await harness.private(t.amina, "/end")
    await ask(harness, t.amina, "An administrator", topic=None)
    assert "asked several times" in (harness.last(t.amina).text or "")


async def test_everyone_declining_tells_the_member_at_once(harness: Harness) -> None:
    t = await team(harness)
    await ask(harness, t.amina, "An administrator", topic=None)
    await harness.tap(t.baraka, t.baraka, "Not now")
    await harness.tap(t.chebet, t.chebet, "Not now")
    told = harness.last(t.amina).text or ""
    assert "nobody from the team was free" in told and "Kenya Red Cross" in told
    assert (await conversation_row(harness, t.amina))["status"] == "expired"


async def test_records_are_purged_after_the_retention_period(harness: Harness) -> None:
    t = await team(harness)
    await connect(harness, t)
    await harness.private(t.amina, "/end")
    await harness.private(t.amina, "/feedback")
    await harness.private(t.amina, "Kind group")
    await harness.tap(t.amina, t.amina, "Send anonymously")
    db = harness.app.bot_data.store.db
    assert len(await db.fetch_all("SELECT id FROM talk_conversations")) == 1
    days = harness.settings.retention_days
    await harness.advance((days - 1) * 86400)
    assert len(await db.fetch_all("SELECT id FROM talk_conversations")) == 1
    await harness.advance(3 * 86400)
    assert await db.fetch_all("SELECT id FROM talk_conversations") == []
    await harness.advance(14 * 86400)
    assert await db.fetch_all("SELECT id FROM talk_feedback") == []


async def test_a_waiting_request_survives_a_restart(harness: Harness) -> None:
    t = await team(harness)
    await ask(harness, t.amina, "An administrator", topic=None)
    await harness.restart(downtime=policy(harness.app.bot_data).accept_seconds + 5)
    assert "sent your request once more" in (harness.last(t.amina).text or "")
    # The relay works again after a restart, from what is in the database.
    await harness.tap(t.baraka, t.baraka, "Accept")
    await harness.private(t.amina, "hello again")
    assert harness.said(t.baraka)[-1] == "hello again"


async def test_kiswahili_member_is_answered_in_kiswahili(harness: Harness) -> None:
    owner = harness.user("Wanjiru")
    baraka = harness.user("Baraka", language="sw")
    group = await harness.group("Kikundi", owner=owner, admins=[baraka])
    zawadi = harness.user("Zawadi", language="sw")
    await harness.join(group, zawadi)
    await harness.start(baraka)
    await harness.start(zawadi)
    await harness.private(zawadi, "/talk")
    assert "Ungependa kuzungumza na nani" in (harness.last(zawadi).text or "")
    await harness.tap(zawadi, zawadi, "Msimamizi")
    await harness.tap(zawadi, zawadi, "Ruka")
    assert "Nimepeleka ombi lako" in (harness.last(zawadi).text or "")
    assert "angependa kuzungumza faraghani" in harness.said(baraka)[-1]


async def test_forged_and_foreign_buttons_change_nothing(harness: Harness) -> None:
    t = await team(harness)
    await ask(harness, t.amina, "An administrator", topic=None)
    row = await conversation_row(harness, t.amina)
    last = harness.last(t.amina)
    # The member cannot accept her own request, even with forged data.
    await harness.press(t.amina, t.amina, last.message_id, f"talk:accept:{row['id']}", forge=True)
    await harness.press(t.amina, t.amina, last.message_id, "talk:accept:99999", forge=True)
    await harness.press(t.amina, t.amina, last.message_id, "talk:kind:-42:admin", forge=True)
    assert (await conversation_row(harness, t.amina))["status"] == "pending"
    await harness.tap(t.chebet, t.chebet, "Accept")
    # Someone outside the conversation cannot end it with a block.
    juma = harness.user("Juma")
    await harness.start(juma)
    await harness.press(
        juma, juma, harness.last(juma).message_id, f"talk:block_yes:{row['id']}", forge=True
    )
    assert (await conversation_row(harness, t.amina))["status"] == "open"
    answers = [c.params.get("text") for c in harness.emu.calls_to("answerCallbackQuery")]
    assert any("someone else" in str(a) for a in answers)


async def test_listener_with_several_groups_chooses(harness: Harness) -> None:
    t = await team(harness)
    other = await harness.group("Caregivers", owner=t.owner)
    juma = harness.user("Juma")
    await harness.join(t.group, juma)
    await harness.join(other, juma)
    await harness.start(juma)
    await harness.private(juma, "/listener on")
    assert "For which group" in (harness.last(juma).text or "")
    await harness.tap(juma, juma, "All my groups")
    listening = await harness.app.bot_data.store.talk.listening(juma.id)
    assert sorted(x.chat_id for x in listening) == sorted([t.group.id, other.id])
    await harness.private(juma, "/listener off")
    await harness.tap(juma, juma, "Caregivers")
    listening = await harness.app.bot_data.store.talk.listening(juma.id)
    assert [x.chat_id for x in listening] == [t.group.id]
    await harness.private(juma, "/listener")
    assert "peer listener for: Peer Group" in (harness.last(juma).text or "")


async def test_topic_prompt_loses_its_skip_button_once_answered(harness: Harness) -> None:
    t = await team(harness)
    await harness.private(t.amina, "/talk")
    await harness.tap(t.amina, t.amina, "An administrator")
    prompt = harness.last(t.amina)
    assert prompt.buttons()
    await harness.private(t.amina, "Work stress")
    refreshed = harness.emu.message(t.amina, prompt.message_id)
    assert refreshed is not None and refreshed.buttons() == []


async def test_member_of_several_groups_picks_whose_people(harness: Harness) -> None:
    t = await team(harness)
    dan = harness.user("Dan")
    other = await harness.group("Caregivers", owner=dan)
    await harness.start(dan)
    await harness.join(other, t.amina)
    await harness.private(t.amina, "/talk")
    assert "Which group's people" in (harness.last(t.amina).text or "")
    await harness.tap(t.amina, t.amina, "Caregivers")
    await harness.tap(t.amina, t.amina, "An administrator")
    await harness.tap(t.amina, t.amina, "Skip")
    assert "Caregivers" in harness.said(dan)[-1]
    assert all("Caregivers" not in s for s in harness.said(t.baraka))


async def test_anonymous_administrators_and_bots_are_not_asked(harness: Harness) -> None:
    t = await team(harness, owner_started=True)
    harness.emu.promote(t.group, t.baraka, is_anonymous=True)
    await harness.settle()
    harness.app.bot_data.admins.invalidate(t.group.id)
    before = len(harness.emu.bot_messages(t.baraka))
    await ask(harness, t.amina, "An administrator", topic=None)
    assert len(harness.emu.bot_messages(t.baraka)) == before
    assert offer_of(harness, t.chebet) and offer_of(harness, t.owner)


async def test_voice_sticker_and_document_are_relayed(harness: Harness) -> None:
    t = await team(harness)
    await connect(harness, t)
    harness.emu.send_voice(t.amina, t.amina)
    await harness.settle()
    assert harness.last(t.chebet).media.kind == "voice"  # type: ignore[union-attr]
    harness.emu.send_sticker(t.chebet, t.chebet)
    await harness.settle()
    assert harness.last(t.amina).media.kind == "sticker"  # type: ignore[union-attr]
    harness.emu.send_document(t.amina, t.amina, "plan.txt", b"my plan")
    await harness.settle()
    assert harness.last(t.chebet).media.kind == "document"  # type: ignore[union-attr]


async def test_a_waiting_member_is_told_nothing_is_passed_on_yet(harness: Harness) -> None:
    t = await team(harness)
    await ask(harness, t.amina, "An administrator", topic=None)
    before = len(harness.emu.bot_messages(t.baraka))
    await harness.private(t.amina, "hello?")
    assert "still waiting" in (harness.last(t.amina).text or "")
    assert len(harness.emu.bot_messages(t.baraka)) == before
