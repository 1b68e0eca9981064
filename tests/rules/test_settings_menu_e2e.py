"""Settings by tapping, end to end: an administrator of two groups changes every option from the
private chat, in English and in Kiswahili; typed forms; per-group support lines where they show."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.talk.policy import policy
from bot.timeutil import ManualClock
from emulator import DEFAULT_TOKEN, GroupHandle, Message, UserHandle
from tests.conftest import make_settings
from tests.support import Harness


@dataclass(frozen=True)
class Two:
    first: GroupHandle
    second: GroupHandle
    amina: UserHandle  # owner of both groups
    juma: UserHandle  # a member of both


async def two_groups(harness: Harness, *, language: str = "en") -> Two:
    amina = harness.user("Amina", username="amina", language=language)
    juma = harness.user("Juma")
    first = await harness.group("Peer Group", owner=amina, members=[juma])
    second = await harness.group("Second Group", owner=amina, members=[juma])
    await harness.start(amina)
    return Two(first, second, amina, juma)


def labels(message: Message) -> list[str]:
    return [str(b.get("text", "")) for b in message.buttons()]


def menu(harness: Harness, person: UserHandle) -> Message:
    return harness.last(person)


async def open_menu(harness: Harness, t: Two, group: GroupHandle) -> Message:
    """From the group: /settings, its button into the private chat, the menu."""
    await harness.say(group, t.amina, "/settings")
    [url] = [str(b["url"]) for b in harness.last(group).buttons()]
    payload = url.split("?start=", 1)[1]
    await harness.start(t.amina, payload)
    return menu(harness, t.amina)


async def test_picker_for_two_groups_and_every_option_by_tapping(harness: Harness) -> None:
    t = await two_groups(harness)
    store = harness.app.bot_data.store
    await harness.private(t.amina, "/settings")
    picker = menu(harness, t.amina)
    assert "more than one group" in (picker.text or "")
    assert labels(picker) == ["Peer Group", "Second Group"]
    await harness.tap(t.amina, t.amina, "Second Group")
    shown = menu(harness, t.amina)
    assert shown.message_id == picker.message_id  # the picker became the menu
    assert "Settings of Second Group" in (shown.text or "")
    in_groups = [
        len(harness.emu.bot_messages(g, include_deleted=True)) for g in (t.first, t.second)
    ]
    audit_before = len(await store.audit.recent(t.second.id, limit=100))

    async def tap(label: str) -> str:
        await harness.tap(t.amina, t.amina, label)
        after = menu(harness, t.amina)
        assert after.message_id == picker.message_id  # edited in place, nothing new
        return after.text or ""

    # Every on/off option.
    assert "Saved — newcomers agree to the rules first: off" in await tap("Newcomers agree")
    assert "Saved — members are asked to agree again after changes: on" in await tap(
        "Ask members to agree again"
    )
    assert "Saved — the full rules are pinned: off" in await tap("Pin the full rules")
    assert "Saved — emergency numbers are shown: on" in await tap("Show emergency numbers")
    assert "Saved — advertising is flagged to admins: off" in await tap("Flag advertising")
    group = await store.groups.get(t.second.id)
    rules = await store.rules.settings(t.second.id)
    assert group is not None and not group.rules_gate and not group.pin_rules
    assert group.show_emergency and not group.flagging and rules.reacceptance
    assert "Newcomers agree to the rules first: off" in labels(menu(harness, t.amina))

    # Choices.
    await tap("Joining:")
    assert "● open (anyone with the link)" in labels(menu(harness, t.amina))
    assert "Saved — joining is with approval" in await tap("with approval")
    await tap("/rules shows them")
    assert "Saved — /rules shows them in the private chat" in await tap("in the private chat")
    await tap("Rules reminder:")
    assert "Saved — the rules reminder is on Friday" in await tap("Fri")
    assert "Saved — the rules reminder is at 18:00" in await tap("18:00")
    assert "every Friday at 18:00" in (menu(harness, t.amina).text or "")
    assert "Saved — rules reminder: off" in await tap("Weekly reminder: on")
    assert await store.scheduled.pending("rules.reminder") == [] or all(
        a.chat_id != t.second.id for a in await store.scheduled.pending("rules.reminder")
    )
    assert "Saved — rules reminder: on" in await tap("Weekly reminder: off")
    [pending] = [
        a for a in await store.scheduled.pending("rules.reminder") if a.chat_id == t.second.id
    ]
    local = pending.due_at + 3 * 3600  # Africa/Nairobi is UTC+3
    assert (local // 3600) % 24 == 18 and (local // 86400 + 3) % 7 == 4  # a Friday, 18:00
    await tap("‹ Back")
    await tap("Time zone:")
    assert "Saved — the time zone is Africa/Kampala" in await tap("Kampala")
    await tap("Support lines of:")
    assert "Saved — members see the support lines of Uganda" in await tap("Uganda")
    await tap("Language:")
    assert "Saved — the group's language is Kiswahili" in await tap("Kiswahili")

    group = await store.groups.get(t.second.id)
    rules = await store.rules.settings(t.second.id)
    assert group is not None
    assert (group.join_mode, group.timezone, group.crisis_country, group.language) == (
        "approval",
        "Africa/Kampala",
        "UG",
        "sw",
    )
    assert rules.rules_where == "private"
    assert (rules.schedule.enabled, rules.schedule.weekday, rules.schedule.hhmm) == (
        True,
        4,
        "18:00",
    )
    # The other group was not touched; nothing was posted in either group.
    other = await store.groups.get(t.first.id)
    assert other is not None and other.rules_gate and other.crisis_country == "KE"
    assert [
        len(harness.emu.bot_messages(g, include_deleted=True)) for g in (t.first, t.second)
    ] == in_groups  # (turning pinning off removed the pinned rules; nothing was added)
    audited = await store.audit.recent(t.second.id, limit=100)
    assert len(audited) - audit_before == 14
    assert all(entry.actor_id == t.amina.id for entry in audited[: len(audited) - audit_before])


async def test_typed_time_zone_and_own_lines_with_cancel(harness: Harness) -> None:
    t = await two_groups(harness)
    store = harness.app.bot_data.store
    shown = await open_menu(harness, t, t.first)
    assert "Settings of Peer Group" in (shown.text or "")

    await harness.tap(t.amina, t.amina, "Time zone:")
    await harness.tap(t.amina, t.amina, "Other (type it)")
    prompt = menu(harness, t.amina)
    assert "Type the time zone" in (prompt.text or "") and labels(prompt) == ["Cancel"]
    await harness.private(t.amina, "somewhere on the moon")
    assert "I don't know that time zone" in (menu(harness, t.amina).text or "")
    await harness.private(t.amina, "Dar es Salaam")
    assert "Saved — the time zone is Africa/Dar_es_Salaam" in (menu(harness, t.amina).text or "")
    group = await store.groups.get(t.first.id)
    assert group is not None and group.timezone == "Africa/Dar_es_Salaam"

    # The Cancel button under the prompt.
    await harness.tap(t.amina, t.amina, "Time zone:")
    await harness.tap(t.amina, t.amina, "Other (type it)")
    await harness.tap(t.amina, t.amina, "Cancel")
    assert "Stopped. Nothing was changed." in (menu(harness, t.amina).text or "")
    assert await store.awaiting.current(t.amina.id) is None

    # The group's own lines: add (a bad one first), see, remove; /cancel stops a prompt.
    await harness.tap(t.amina, t.amina, "The group's own lines: 0")
    await harness.tap(t.amina, t.amina, "Add a line")
    assert "name, number, hours" in (menu(harness, t.amina).text or "")
    await harness.private(t.amina, "just some words")
    assert "I couldn't read that" in (menu(harness, t.amina).text or "")
    await harness.private(t.amina, "Mathare Peer Hub, 0712 345 678, Mon–Fri 9–17")
    listed = menu(harness, t.amina)
    assert "Saved — the group's own line “Mathare Peer Hub” was added" in (listed.text or "")
    assert "Mathare Peer Hub: 0712 345 678 (Mon–Fri 9–17)" in (listed.text or "")
    [line] = await store.groups.lines(t.first.id)
    assert (line.name, line.number, line.hours) == (
        "Mathare Peer Hub",
        "0712 345 678",
        "Mon–Fri 9–17",
    )
    await harness.tap(t.amina, t.amina, "Add a line")
    await harness.private(t.amina, "/cancel")
    assert "Stopped. Nothing was changed." in (menu(harness, t.amina).text or "")
    await harness.private(t.amina, "Not a line, 0700 000 000")  # no longer awaited
    assert len(await store.groups.lines(t.first.id)) == 1
    await harness.private(t.amina, "/settings")
    await harness.tap(t.amina, t.amina, "Peer Group")
    await harness.tap(t.amina, t.amina, "The group's own lines: 1")
    await harness.tap(t.amina, t.amina, "Remove: Mathare Peer Hub")
    assert "was removed" in (menu(harness, t.amina).text or "")
    assert await store.groups.lines(t.first.id) == []


async def test_someone_who_is_not_an_admin_changes_nothing(harness: Harness) -> None:
    t = await two_groups(harness)
    await harness.start(t.juma)
    await harness.private(t.juma, "/settings")
    assert "I don't know of a group where you are an administrator" in (
        menu(harness, t.juma).text or ""
    )
    await harness.start(t.juma, f"settings_{t.first.id}")
    assert "Only the group's administrators" in harness.emu.transcript().splitlines()[-1]
    await harness.press(
        t.juma,
        t.juma,
        menu(harness, t.juma).message_id,
        f"settings:flip:{t.first.id}:gate",
        forge=True,
    )
    group = await harness.app.bot_data.store.groups.get(t.first.id)
    assert group is not None and group.rules_gate
    await harness.press(t.amina, t.amina, 1, f"settings:pick:{t.first.id}:country:XX", forge=True)
    group = await harness.app.bot_data.store.groups.get(t.first.id)
    assert group is not None and group.crisis_country == "KE"


async def test_menu_in_kiswahili(harness: Harness) -> None:
    t = await two_groups(harness, language="sw")
    shown = await open_menu(harness, t, t.first)
    assert "Mipangilio ya Peer Group" in (shown.text or "")
    assert "Wanachama wapya wakubali kanuni kwanza: imewashwa" in labels(shown)
    assert "Nimemaliza" in labels(shown)
    await harness.tap(t.amina, t.amina, "Wanachama wapya wakubali")
    assert "Imehifadhiwa — wanachama wapya wakubali kanuni kwanza: imezimwa" in (
        menu(harness, t.amina).text or ""
    )
    await harness.tap(t.amina, t.amina, "Ukumbusho wa kanuni")
    assert "Ijumaa" in labels(menu(harness, t.amina))
    await harness.tap(t.amina, t.amina, "Ijumaa")
    assert "ukumbusho wa kanuni ni siku ya Ijumaa" in (menu(harness, t.amina).text or "")
    await harness.tap(t.amina, t.amina, "‹ Rudi")
    await harness.tap(t.amina, t.amina, "Namba za kikundi chenyewe")
    await harness.tap(t.amina, t.amina, "Ongeza namba")
    assert labels(menu(harness, t.amina)) == ["Ghairi"]
    await harness.private(t.amina, "ghairi")
    assert "Imesimamishwa" in (menu(harness, t.amina).text or "")
    await harness.tap(t.amina, t.amina, "Nimemaliza")
    assert "imehifadhiwa" in (menu(harness, t.amina).text or "")
    # Typed, in Kiswahili, in the group.
    await harness.say(t.first, t.amina, "/settings lugha kiswahili")
    assert "Imehifadhiwa — lugha ya kikundi ni Kiswahili" in (harness.last(t.first).text or "")
    await harness.say(t.first, t.amina, "/settings vikumbusho jumapili 6pm")
    rules = await harness.app.bot_data.store.rules.settings(t.first.id)
    assert (rules.schedule.weekday, rules.schedule.hhmm) == (6, "18:00")


async def test_typed_forms_people_actually_write(harness: Harness) -> None:
    t = await two_groups(harness)
    store = harness.app.bot_data.store
    await harness.say(t.first, t.amina, "/settings reminders friday 6pm")
    assert "every Friday at 18:00" in (harness.last(t.first).text or "")
    await harness.say(t.first, t.amina, "/settings timezone Nairobi")
    assert "the time zone is Africa/Nairobi" in (harness.last(t.first).text or "")
    await harness.say(t.first, t.amina, "/settings country TZ")
    await harness.say(t.first, t.amina, "/settings join mwaliko")
    group = await store.groups.get(t.first.id)
    assert group is not None and (group.crisis_country, group.join_mode) == ("TZ", "invitation")
    await harness.say(t.first, t.amina, "/settings timezone Atlantis")
    assert "I don't know that time zone" in (harness.last(t.first).text or "")


async def test_own_lines_and_country_show_in_talk_and_supportnow(harness: Harness) -> None:
    owner = harness.user("Wanjiru")
    chebet = harness.user("Chebet")
    amina = harness.user("Amina")
    group = await harness.group("Peer Group", owner=owner, admins=[chebet])
    await harness.join(group, amina)
    for person in (owner, chebet, amina):
        await harness.start(person)
    await harness.say(group, owner, "/settings country UG")
    await harness.start(owner, f"settings_{group.id}")
    await harness.tap(owner, owner, "The group's own lines")
    await harness.tap(owner, owner, "Add a line")
    await harness.private(owner, "Kampala Peer Hub, 0800 100 200, 24/7")

    await harness.private(amina, "/talk")
    await harness.tap(amina, amina, "An administrator")
    await harness.tap(amina, amina, "Skip")
    await harness.advance(policy(harness.app.bot_data).accept_seconds + 1)
    told = harness.last(amina).text or ""
    assert "Kampala Peer Hub" in told and "0800 100 200" in told
    assert "Mental Health Uganda helpline" in told and "Kenya Red Cross" not in told
    assert "Police emergency" not in told  # emergency numbers are off unless the group wants them

    await harness.private(amina, "/supportnow")
    told = harness.last(amina).text or ""
    assert "Kampala Peer Hub" in told and "Mental Health Uganda helpline" in told
    assert "Kenya Red Cross" not in told

    # The same lines in the support message of a temporary exclusion.
    said = await harness.say(group, amina, "a heated message")
    await harness.say(group, chebet, "/exclude 1d cooling off", reply_to=said)
    support = harness.last(amina).text or ""
    assert "Kampala Peer Hub" in support and "Mental Health Uganda helpline" in support
    assert "Kenya Red Cross" not in support


async def test_an_anonymous_admins_typed_change_is_theirs_in_the_log(harness: Harness) -> None:
    t = await two_groups(harness)
    await harness.say(t.first, t.amina, "/settings gate off", anonymous_admin=True)
    group = await harness.app.bot_data.store.groups.get(t.first.id)
    assert group is not None and not group.rules_gate
    await harness.say(t.first, t.amina, "/log")
    log = harness.said(t.amina)[-1]
    assert (
        "An anonymous administrator changed a setting: newcomers agree to the rules first: off."
        in log
    )


async def test_new_groups_take_the_deployments_default_country(
    tmp_path: Path, clock: ManualClock
) -> None:
    running = Harness(
        make_settings(tmp_path, telegram_token=DEFAULT_TOKEN, default_country="TZ"), clock
    )
    await running.boot()
    try:
        owner = running.user("Wanjiru")
        amina = running.user("Amina")
        group = await running.group("Peer Group", owner=owner)
        await running.join(group, amina)
        await running.start(amina)
        stored = await running.app.bot_data.store.groups.get(group.id)
        assert stored is not None and stored.crisis_country == "TZ"
        await running.private(amina, "/supportnow")
        told = running.last(amina).text or ""
        assert "National Child Helpline (C-Sema)" in told and "Kenya Red Cross" not in told
    finally:
        await running.halt()
    assert running.errors == []
