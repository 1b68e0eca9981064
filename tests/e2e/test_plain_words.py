"""Plain words and gentle flows, end to end: one word in the private chat does what it says
(English and Kiswahili), /cancel and a Cancel button stop whatever waits for words, /start and
/help in a group point into the private chat, and the menus and descriptions are published."""

from __future__ import annotations

from emulator import GroupHandle, UserHandle
from tests.support import Harness


def last(harness: Harness, chat: UserHandle | GroupHandle) -> str:
    return harness.last(chat).text or ""


async def member_in_group(
    harness: Harness, *, language: str = "en"
) -> tuple[GroupHandle, UserHandle, UserHandle]:
    owner = harness.user("Wanjiru")
    chebet = harness.user("Chebet")
    amina = harness.user("Amina", language=language)
    group = await harness.group("Peer Group", owner=owner, admins=[chebet])
    await harness.join(group, amina)
    for person in (owner, chebet, amina):
        await harness.start(person)
    return group, owner, amina


async def test_plain_words_do_what_they_say(harness: Harness) -> None:
    _, _, amina = await member_in_group(harness)
    await harness.private(amina, "help")
    assert "What you can do in this private chat" in last(harness, amina)
    assert "help, rules, talk, stop, cancel" in last(harness, amina)
    await harness.private(amina, "Rules!")
    assert "1. Keep it private" in last(harness, amina)
    await harness.private(amina, "talk")
    assert "Who would you like to talk with" in last(harness, amina)
    await harness.private(amina, "stop")
    assert "no one-to-one conversation open" in harness.emu.transcript().splitlines()[-1]
    await harness.private(amina, "cancel")
    assert "nothing waiting to cancel" in last(harness, amina)
    await harness.private(amina, "hello there")  # not a plain word: the usual hint
    assert "/help" in last(harness, amina)


async def test_plain_words_in_kiswahili(harness: Harness) -> None:
    _, _, amina = await member_in_group(harness, language="sw")
    await harness.private(amina, "Msaada")
    assert "Unachoweza kufanya" in last(harness, amina)
    assert "msaada, sheria, ongea, acha, ghairi" in last(harness, amina)
    await harness.private(amina, "sheria")
    assert "1. Tunza siri" in last(harness, amina)
    await harness.private(amina, "ongea")
    assert harness.last(amina).buttons()  # who to talk with
    await harness.private(amina, "ghairi")
    assert "Hakuna kinachosubiri" in last(harness, amina)


async def test_cancel_stops_the_talk_topic_prompt(harness: Harness) -> None:
    group, _, amina = await member_in_group(harness)
    store = harness.app.bot_data.store
    await harness.private(amina, "/talk")
    await harness.tap(amina, amina, "An administrator")
    prompt = harness.last(amina)
    assert [b["text"] for b in prompt.buttons()] == ["Skip", "Cancel"]
    await harness.private(amina, "/cancel")
    assert "Stopped. Nothing was changed." in last(harness, amina)
    await harness.private(amina, "I'm having a hard week")  # not taken as the topic
    assert await store.talk.active_for(amina.id) is None
    assert "/help" in last(harness, amina)

    await harness.private(amina, "/talk")
    await harness.tap(amina, amina, "An administrator")
    await harness.tap(amina, amina, "Cancel")
    assert "Nothing was sent to anyone" in last(harness, amina)
    assert await store.awaiting.current(amina.id) is None
    assert await store.talk.active_for(amina.id) is None
    assert group.id  # the group saw nothing of it
    assert not any("hard week" in said for said in harness.said(group))


async def test_cancel_stops_the_guided_rules_edit_and_feedback(harness: Harness) -> None:
    group, owner, amina = await member_in_group(harness)
    store = harness.app.bot_data.store
    await harness.start(owner, f"setrules_{group.id}")
    assert [b["text"] for b in harness.last(owner).buttons()] == ["Cancel"]
    await harness.tap(owner, owner, "Cancel")
    assert "Stopped. Nothing was changed." in last(harness, owner)
    await harness.private(owner, "1. A rule nobody meant")
    assert await store.rules.current_version(group.id) == 0
    await harness.start(owner, f"setrules_{group.id}")
    await harness.private(owner, "/cancel")
    assert "Stopped. Nothing was changed." in last(harness, owner)
    assert await store.awaiting.current(owner.id) is None

    await harness.private(amina, "/feedback")
    assert any("Cancel" in str(b["text"]) for b in harness.last(amina).buttons())
    await harness.private(amina, "/cancel")
    assert "Stopped" in last(harness, amina)
    assert await store.awaiting.current(amina.id) is None


async def test_start_and_help_in_a_group_point_to_the_private_chat(harness: Harness) -> None:
    group, _, amina = await member_in_group(harness)
    await harness.say(group, amina, "/start")
    answer = harness.last(group)
    assert "private chat" in (answer.text or "") and len(answer.text or "") < 120
    assert next(str(b["url"]) for b in answer.buttons()).startswith("https://t.me/")
    await harness.say(group, amina, "/help")
    answer = harness.last(group)
    assert "/rules" in (answer.text or "") and len((answer.text or "").splitlines()) == 1
    assert answer.buttons() and "url" in answer.buttons()[0]


async def test_menus_are_complete_and_short_and_descriptions_are_set(harness: Harness) -> None:
    emu = harness.emu
    private = [c["command"] for c in emu.commands({"type": "all_private_chats"})]
    group = [c["command"] for c in emu.commands({"type": "all_group_chats"})]
    admins = [c["command"] for c in emu.commands({"type": "all_chat_administrators"})]
    assert {"log", "concern", "answer", "talk", "mycircle", "supportnow"} <= set(private)
    assert {"concern", "settings", "log", "warn", "mute", "exclude"} <= set(admins)
    assert len(admins) <= 13 and len(group) <= 5 and len(private) <= 14
    assert "warn" not in group and "settings" not in group
    for lang in ("", "sw"):
        assert "lived experience" in emu.description(lang) or "uzoefu binafsi" in emu.description(
            lang
        )
        assert 0 < len(emu.description(lang, short=True)) <= 120
    assert emu.description("sw") != emu.description("")
