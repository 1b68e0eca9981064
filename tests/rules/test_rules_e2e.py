"""Ground rules end to end: the real Application, the real store and the emulator."""

from __future__ import annotations

from dataclasses import dataclass

from emulator import GroupHandle, Message, UserHandle
from tests.support import Harness

DAY = 24 * 3600
ADMINS_ONLY = "Only the group's administrators"


@dataclass(frozen=True)
class Team:
    group: GroupHandle
    amina: UserHandle  # the owner, who started the bot
    juma: UserHandle  # a member


async def team(
    harness: Harness, *, join_by_request: bool = False, rights: dict[str, bool] | None = None
) -> Team:
    amina = harness.user("Amina", username="amina")
    juma = harness.user("Juma")
    group = await harness.group(
        "Peer Group", owner=amina, members=[juma], join_by_request=join_by_request, rights=rights
    )
    await harness.start(amina)
    return Team(group, amina, juma)


async def joins(harness: Harness, group: GroupHandle, person: UserHandle) -> None:
    """Join without tapping anything (the driver's ``join`` may agree on the person's behalf)."""
    harness.emu.join(group, person)
    await harness.settle()


def rules_button(message: Message) -> str:
    return next(
        str(b["callback_data"])
        for b in message.buttons()
        if str(b.get("callback_data", "")).startswith("rules:")
    )


def text(message: Message) -> str:
    return message.text or ""


async def test_join_is_gated_and_released_only_by_the_newcomers_tap(harness: Harness) -> None:
    t = await team(harness)
    neema = harness.user("Neema")
    await joins(harness, t.group, neema)
    assert not harness.emu.can_post(t.group, neema)
    welcome = harness.last(t.group)
    assert "Welcome, Neema" in text(welcome) and "1. Keep it private" in text(welcome)
    data = rules_button(welcome)

    await harness.press(t.juma, t.group, welcome.message_id, data)
    assert not harness.emu.can_post(t.group, neema)
    assert "This button is for the person who just joined" in harness.emu.transcript()
    store = harness.app.bot_data.store
    assert await store.rules.acceptances(t.group.id, neema.id) == []

    await harness.press(neema, t.group, welcome.message_id, data)
    assert harness.emu.can_post(t.group, neema)
    [accepted] = await store.rules.acceptances(t.group.id, neema.id)
    assert (accepted.version, accepted.accepted_at) == (0, harness.clock.epoch())
    thanked = harness.emu.message(t.group, welcome.message_id)
    assert thanked is not None and "Neema has joined us" in (thanked.text or "")
    assert "1. Keep it private" not in (thanked.text or "")  # the welcome became one line
    [private] = [str(b["url"]) for b in thanked.buttons()]  # into the private chat
    assert "?start=" in private
    assert await store.rules.gate_get(t.group.id, neema.id) is None
    # The same data again (a forged or replayed tap) changes nothing.
    await harness.press(neema, t.group, harness.last(t.group).message_id, data, forge=True)
    assert len(await store.rules.acceptances(t.group.id, neema.id)) == 1
    assert "no longer active" in harness.emu.transcript().splitlines()[-1]


async def test_rejoining_after_agreeing_is_not_asked_again(harness: Harness) -> None:
    t = await team(harness)
    neema = harness.user("Neema")
    await joins(harness, t.group, neema)
    await harness.tap(neema, t.group, "I agree")
    await harness.leave(t.group, neema)
    seen = len(harness.emu.bot_messages(t.group))
    await joins(harness, t.group, neema)
    assert harness.emu.can_post(t.group, neema)
    assert len(harness.emu.bot_messages(t.group)) == seen
    assert harness.emu.member(t.group, neema).status == "member"


async def test_a_newcomer_who_never_taps_is_reminded_once_in_the_group_and_never_removed(
    harness: Harness,
) -> None:
    t = await team(harness)
    neema = harness.user("Neema")
    await joins(harness, t.group, neema)
    first = harness.last(t.group)
    await harness.advance(DAY + 60)
    reminder = harness.last(t.group)
    assert reminder.message_id != first.message_id
    assert "Neema, a gentle reminder" in text(reminder)
    replaced = harness.emu.message(t.group, first.message_id)
    assert replaced is not None and replaced.deleted  # replaced, not piled up
    await harness.advance(30 * DAY)
    nudges = [m for m in harness.emu.bot_messages(t.group) if "a gentle reminder" in text(m)]
    assert [m.message_id for m in nudges] == [reminder.message_id]
    assert harness.emu.member(t.group, neema).status == "restricted"  # never removed
    await harness.press(neema, t.group, reminder.message_id, rules_button(reminder))
    assert harness.emu.can_post(t.group, neema)


async def test_a_newcomer_who_started_the_bot_is_reminded_privately(harness: Harness) -> None:
    t = await team(harness)
    neema = harness.user("Neema")
    await harness.start(neema)
    await joins(harness, t.group, neema)
    welcome = harness.last(t.group)
    await harness.advance(DAY + 60)
    private = harness.last(neema)
    assert "gentle reminder from Peer Group" in text(private)
    await harness.press(neema, neema, private.message_id, rules_button(private))
    assert harness.emu.can_post(t.group, neema)
    assert "You can post now" in text(harness.last(neema))
    thanked = harness.emu.message(t.group, welcome.message_id)
    assert thanked is not None and "Neema has joined us" in (thanked.text or "")


async def test_without_the_restrict_right_the_bot_greets_without_gating(
    harness: Harness,
) -> None:
    t = await team(harness, rights={"can_restrict_members": False})
    neema = harness.user("Neema")
    await joins(harness, t.group, neema)
    assert harness.emu.can_post(t.group, neema)
    assert "Welcome, Neema" in text(harness.last(t.group))
    await harness.tap(neema, t.group, "I agree")
    assert await harness.app.bot_data.store.rules.has_accepted(t.group.id, neema.id, 0)


async def test_a_join_request_in_open_mode_is_let_in_by_agreeing(harness: Harness) -> None:
    """Open mode is the gate only: the applicant reads the rules privately, agreeing lets
    them in, and no administrator is asked."""
    t = await team(harness, join_by_request=True)
    store = harness.app.bot_data.store
    baraka = harness.user("Baraka", language="sw")
    await harness.request_join(t.group, baraka)
    rules = harness.last(baraka)
    assert "Kabla ya kujiunga" in text(rules) and "Tunza siri" in text(rules)
    assert "asked to join" not in text(harness.last(t.amina))
    await harness.press(baraka, baraka, rules.message_id, rules_button(rules))
    assert harness.emu.member(t.group, baraka).status == "member"
    assert harness.emu.can_post(t.group, baraka)  # agreed already: no gate after approval
    assert await store.rules.has_accepted(t.group.id, baraka.id, 0)

    # Nobody agrees: the request is closed kindly after three days.
    ali = harness.user("Ali")
    await harness.request_join(t.group, ali)
    await harness.advance(3 * DAY + 60)
    rows = await store.db.fetch_all(
        "SELECT status, how FROM rules_join_requests WHERE user_id = ?", (ali.id,)
    )
    assert [tuple(r) for r in rows] == [("expired", "unanswered")]
    assert harness.emu.join_requests(t.group) == []


async def test_setrules_admins_only_and_new_versions(harness: Harness) -> None:
    t = await team(harness)
    store = harness.app.bot_data.store
    await harness.say(t.group, t.juma, "/setrules 1. Anything goes")
    assert ADMINS_ONLY in text(harness.last(t.group))
    assert await store.rules.current_version(t.group.id) == 0

    await harness.say(t.group, t.amina, "/setrules 1. Be kind — always\n2. No selling")
    draft = await harness.say(
        t.group, t.amina, "1. Be kind — always\n2. No selling\n3. Ask before advising"
    )
    await harness.say(t.group, t.amina, "/setrules", reply_to=draft)
    assert await store.rules.current_version(t.group.id) == 2
    told = text(harness.last(t.group))
    assert "have changed (version 2)" in told and "pinned at the top" in told
    [pinned] = [m for m in harness.emu.bot_messages(t.group) if text(m).startswith("📌 Ground")]
    assert "3. Ask before advising" in text(pinned)
    [latest, first] = await store.rules.history(t.group.id)
    assert (latest.version, latest.author_id, first.version) == (2, t.amina.id, 1)

    await harness.say(t.group, t.amina, "/rules history")
    listed = text(harness.last(t.group))
    assert "Version 2" in listed and "Version 1" in listed and "Version 0" in listed
    await harness.say(t.group, t.juma, "/rules history")
    assert ADMINS_ONLY in text(harness.last(t.group))


async def test_rules_text_with_special_characters_is_sent_as_written(harness: Harness) -> None:
    t = await team(harness)
    rule = "Use <b> & </i> freely — *stars* and _lines_ < 3 > 2"
    await harness.say(t.group, t.amina, f"/setrules 1. {rule}")
    await harness.say(t.group, t.juma, "/rules")
    assert "1. Use <b> & </i> freely — *stars* and _lines_ < 3 > 2" in text(harness.last(t.group))


async def test_rules_in_both_languages(harness: Harness) -> None:
    t = await team(harness)
    await harness.say(t.group, t.juma, "/rules")
    assert "1. Keep it private" in text(harness.last(t.group))
    await harness.say(t.group, t.amina, "/settings language sw")
    await harness.say(t.group, t.juma, "/rules")
    assert "1. Tunza siri" in text(harness.last(t.group))
    baraka = harness.user("Baraka", language="sw")
    await harness.start(baraka)
    await harness.private(baraka, "/rules")
    assert "Kanuni zetu za msingi" in text(harness.last(baraka))
    await harness.start(t.juma)
    await harness.private(t.juma, "/rules")  # the group's rules, in Juma's own language
    assert "1. Keep it private" in text(harness.last(t.juma))


async def test_private_rules_with_several_groups_lets_the_member_pick(harness: Harness) -> None:
    t = await team(harness)
    other = await harness.group("Second Group", owner=t.amina, members=[t.juma])
    await harness.say(other, t.amina, "/setrules 1. Second group rule")
    await harness.start(t.juma)
    await harness.say(t.group, t.juma, "/rules")  # seen in both groups
    await harness.say(other, t.juma, "/rules")
    await harness.private(t.juma, "/rules")
    assert "Which group's rules" in text(harness.last(t.juma))
    await harness.tap(t.juma, t.juma, "Second Group")
    assert "1. Second group rule" in text(harness.last(t.juma))


async def test_remind_a_rule(harness: Harness) -> None:
    t = await team(harness)
    rude = await harness.say(t.group, t.juma, "you are all wrong")
    command = await harness.say(t.group, t.amina, "/remind 3", reply_to=rude)
    posted = harness.last(t.group)
    assert "A gentle reminder for all of us" in text(posted)
    assert "3. Share only if you want to" in text(posted)
    assert "Juma" not in text(posted) and "you are all wrong" not in text(posted)
    assert posted.reply_to is None
    removed = harness.emu.message(t.group, command)
    assert removed is not None and removed.deleted

    await harness.say(t.group, t.amina, "/remind 99", reply_to=rude)
    assert "1, 2, 3, 4, 5, 6, 7, 8, 9" in text(harness.last(t.group))
    await harness.say(t.group, t.amina, "/remind", reply_to=rude)
    assert "1, 2, 3, 4, 5, 6, 7, 8, 9" in text(harness.last(t.group))
    await harness.say(t.group, t.juma, "/remind 2", reply_to=rude)
    assert ADMINS_ONLY in text(harness.last(t.group))


async def test_a_reminder_missed_while_the_bot_was_down_is_sent_once(harness: Harness) -> None:
    t = await team(harness)
    await harness.say(t.group, t.amina, "/settings reminders fri 18:00")
    store = harness.app.bot_data.store
    [pending] = await store.scheduled.pending("rules.reminder")
    seen = len(harness.emu.bot_messages(t.group))
    await harness.restart(downtime=pending.due_at - harness.clock.epoch() + 3 * 7 * DAY)
    sent = [m for m in harness.emu.bot_messages(t.group)[seen:] if "regular reminder" in text(m)]
    assert len(sent) == 1
    [following] = await harness.app.bot_data.store.scheduled.pending("rules.reminder")
    assert following.due_at > harness.clock.epoch()
    local = following.due_at + 3 * 3600  # Africa/Nairobi is UTC+3
    assert (local // 3600) % 24 == 18 and (local // 86400 + 3) % 7 == 4  # a Friday, 18:00


async def test_settings_in_the_group_point_to_the_private_menu(harness: Harness) -> None:
    t = await team(harness)
    await harness.say(t.group, t.amina, "/settings")
    pointer = harness.last(t.group)
    assert "by tapping, in our private chat" in text(pointer)
    assert "/settings gate on" not in text(pointer) and len(text(pointer)) < 120
    [link] = [str(b["url"]) for b in pointer.buttons()]
    assert link.endswith(f"?start=settings_{t.group.id}")
    await harness.say(t.group, t.amina, "/settings reminders someday")
    mistake = harness.last(t.group)
    assert "I didn't understand that" in text(mistake) and len(text(mistake).splitlines()) == 1
    assert [str(b["url"]) for b in mistake.buttons()] == [link]
    await harness.say(t.group, t.juma, "/settings gate off")
    assert ADMINS_ONLY in text(harness.last(t.group))
    await harness.say(t.group, t.amina, "/settings gate off")
    assert "Saved — newcomers agree to the rules first: off" in text(harness.last(t.group))
    await harness.say(t.group, t.amina, "/settings reminders off")
    assert await harness.app.bot_data.store.scheduled.pending("rules.reminder") == []
    neema = harness.user("Neema")
    await joins(harness, t.group, neema)
    assert harness.emu.can_post(t.group, neema)
    assert "Welcome, Neema" in text(harness.last(t.group))


async def test_guided_edit_in_private_and_reacceptance(harness: Harness) -> None:
    t = await team(harness)
    await harness.say(t.group, t.amina, "/settings reaccept on")
    await harness.say(t.group, t.amina, "/setrules")
    [link] = [str(b["url"]) for b in harness.last(t.group).buttons()]
    assert link.endswith(f"?start=setrules_{t.group.id}")
    await harness.start(t.amina, f"setrules_{t.group.id}")
    assert "Send me the new ground rules for Peer Group" in text(harness.last(t.amina))
    await harness.private(t.amina, "1. Be gentle\n2. Keep it private")
    assert "now version 1" in text(harness.last(t.amina))
    told = harness.last(t.group)
    assert "tap “I agree”" in text(told)
    await harness.press(t.juma, t.group, told.message_id, rules_button(told))
    assert await harness.app.bot_data.store.rules.has_accepted(t.group.id, t.juma.id, 1)
    assert harness.emu.can_post(t.group, t.juma)  # nobody is restricted for it


async def test_long_rules_can_go_to_the_private_chat(harness: Harness) -> None:
    t = await team(harness)
    await harness.say(t.group, t.amina, "/settings rules private")
    await harness.say(t.group, t.juma, "/rules")
    pointer = harness.last(t.group)
    assert "private chat" in text(pointer) and "Keep it private" not in text(pointer)
    [link] = [str(b["url"]) for b in pointer.buttons()]
    assert link.endswith(f"?start=rules_{t.group.id}")
    await harness.start(t.juma, f"rules_{t.group.id}")
    assert "1. Keep it private" in text(harness.last(t.juma))


async def test_an_abandoned_guided_edit_stops_catching_private_messages(
    harness: Harness,
) -> None:
    t = await team(harness)
    await harness.start(t.amina, f"setrules_{t.group.id}")
    await harness.advance(3600)
    await harness.private(t.amina, "just saying hello")
    assert await harness.app.bot_data.store.rules.current_version(t.group.id) == 0
    assert "/help" in text(harness.last(t.amina))  # the ordinary private-chat answer


async def test_a_newcomer_who_leaves_before_agreeing_leaves_no_trace(harness: Harness) -> None:
    t = await team(harness)
    neema = harness.user("Neema")
    await joins(harness, t.group, neema)
    welcome = harness.last(t.group)
    await harness.leave(t.group, neema)
    gone = harness.emu.message(t.group, welcome.message_id)
    assert gone is not None and gone.deleted
    store = harness.app.bot_data.store
    assert await store.rules.gate_get(t.group.id, neema.id) is None
    assert await store.scheduled.pending("rules.gate_reminder") == []


async def test_a_failed_welcome_never_leaves_anyone_held_back(harness: Harness) -> None:
    t = await team(harness)
    neema = harness.user("Neema")
    harness.emu.fail_next(
        "sendMessage",
        400,
        "Bad Request: not enough rights to send text messages to the chat",
        chat_id=t.group.id,
    )
    await joins(harness, t.group, neema)
    assert harness.emu.can_post(t.group, neema)
    assert await harness.app.bot_data.store.rules.gate_get(t.group.id, neema.id) is None


async def test_agreeing_does_not_lift_a_mute_given_meanwhile(harness: Harness) -> None:
    owner, newcomer = harness.user("Wanjiru"), harness.user("Kito")
    group = await harness.group("Peer Group", owner=owner)
    await harness.join(group, newcomer, agree=False)
    assert not harness.emu.can_post(group, newcomer)
    await harness.say(group, owner, f"/mute {newcomer.id} 1h")
    assert await harness.agree_to_rules(group, newcomer)
    assert not harness.emu.can_post(group, newcomer)  # still muted
    await harness.advance(3601)
    assert harness.emu.can_post(group, newcomer)


async def test_a_mute_running_out_never_opens_the_gate(harness: Harness) -> None:
    """Telegram keeps one restriction per member: a timed mute must not replace the gate's."""
    owner, newcomer = harness.user("Wanjiru"), harness.user("Kito")
    group = await harness.group("Peer Group", owner=owner)
    await harness.join(group, newcomer, agree=False)
    await harness.say(group, owner, f"/mute {newcomer.id} 1h")
    await harness.advance(3601)
    assert not harness.emu.can_post(group, newcomer)  # still waiting for their own "I agree"
    await harness.say(group, owner, f"/mute {newcomer.id} 1h")
    await harness.say(group, owner, f"/unmute {newcomer.id}")
    assert not harness.emu.can_post(group, newcomer)  # unmuting does not skip the rules
    assert await harness.agree_to_rules(group, newcomer)
    assert harness.emu.can_post(group, newcomer)
