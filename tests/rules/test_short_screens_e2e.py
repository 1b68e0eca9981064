"""Short screens, end to end: a welcome that fits one phone screen, the full rules pinned by
the bot, a short weekly reminder, and agreeing that opens the way into the private chat."""

from __future__ import annotations

from emulator import GroupHandle, Message, UserHandle
from tests.support import Harness

DAY = 24 * 3600
PHONE_SCREEN_LINES = 16  # what a small phone shows without scrolling, roughly


def text(message: Message | None) -> str:
    assert message is not None
    return message.text or ""


async def group_with(harness: Harness, **rights: bool) -> tuple[GroupHandle, UserHandle]:
    amina = harness.user("Amina")
    group = await harness.group("Peer Group", owner=amina, rights=rights or None)
    await harness.start(amina)
    return group, amina


async def test_welcome_is_brief_the_full_rules_are_pinned(harness: Harness) -> None:
    group, _ = await group_with(harness)
    [pinned_id] = harness.emu.pinned(group)
    pinned = harness.emu.message(group, pinned_id)
    assert "1. Keep it private" in text(pinned) and "screenshot" in text(pinned)  # the full text

    neema = harness.user("Neema")
    harness.emu.join(group, neema)
    await harness.settle()
    welcome = harness.last(group)
    body = text(welcome)
    assert "Welcome, Neema!" in body
    assert "1. Keep it private" in body and "9. Kindness and respect" in body  # in brief
    assert "screenshot" not in body  # ... and only in brief
    assert "pinned at the top" in body
    assert len(body.splitlines()) <= PHONE_SCREEN_LINES and len(body) < 700
    assert [b["text"] for b in welcome.buttons()] == ["Read all the rules", "I agree"]
    [read] = [str(b["url"]) for b in welcome.buttons() if b.get("url")]
    assert read.endswith(f"?start=rules_{group.id}")
    await harness.start(neema, f"rules_{group.id}")
    assert "screenshot" in text(harness.last(neema))  # all of them, privately

    await harness.tap(neema, group, "I agree")
    assert harness.emu.can_post(group, neema)
    thanked = harness.emu.message(group, welcome.message_id)
    assert "Neema has joined us" in text(thanked) and len(text(thanked).splitlines()) == 2
    assert "talk to someone" in text(thanked)  # one line says what the private chat offers
    [(label, url)] = [(b["text"], str(b["url"])) for b in thanked.buttons()]
    assert label == "Open my private chat with Pamoja" and "?start=" in url


async def test_without_the_right_to_pin_nothing_is_pinned(harness: Harness) -> None:
    group, _ = await group_with(harness, can_pin_messages=False)
    assert harness.emu.pinned(group) == []
    neema = harness.user("Neema")
    harness.emu.join(group, neema)
    await harness.settle()
    body = text(harness.last(group))
    assert "“Read all the rules” shows them in full" in body and "pinned" not in body


async def test_new_rules_replace_the_pin_and_the_setting_unpins(harness: Harness) -> None:
    group, amina = await group_with(harness)
    [first] = harness.emu.pinned(group)
    await harness.say(group, amina, "/setrules 1. Be gentle\n2. Keep it private")
    [second] = harness.emu.pinned(group)
    assert second != first and "1. Be gentle" in text(harness.emu.message(group, second))
    old = harness.emu.message(group, first)
    assert old is not None and old.deleted  # replaced, not piled up
    told = text(harness.last(group))
    assert "have changed (version 1)" in told and "pinned at the top" in told
    assert "1. Be gentle" not in told  # the announcement is short: the text is pinned

    await harness.start(amina, f"settings_{group.id}")
    await harness.tap(amina, amina, "Pin the full rules in the group: on")
    assert harness.emu.pinned(group) == []
    await harness.tap(amina, amina, "Pin the full rules in the group: off")
    [third] = harness.emu.pinned(group)
    assert "1. Be gentle" in text(harness.emu.message(group, third))


async def test_the_weekly_reminder_is_short_and_points_to_the_pinned_rules(
    harness: Harness,
) -> None:
    group, _ = await group_with(harness)
    store = harness.app.bot_data.store
    [pending] = await store.scheduled.pending("rules.reminder")
    await harness.advance(pending.due_at - harness.clock.epoch() + 1)
    reminder = harness.last(group)
    assert "regular reminder" in text(reminder) and "pinned at the top" in text(reminder)
    assert "1. Keep it private" not in text(reminder) and len(text(reminder)) < 200
    [read] = [str(b["url"]) for b in reminder.buttons()]
    assert read.endswith(f"?start=rules_{group.id}")


async def test_a_burst_of_joins_gets_one_combined_welcome_per_window(harness: Harness) -> None:
    group, amina = await group_with(harness)
    before = len(harness.emu.bot_messages(group, include_deleted=True))
    people = [harness.user(name) for name in ("Neema", "Baraka", "Achieng", "Otieno", "Zawadi")]
    for person in people:
        harness.emu.join(group, person)
        await harness.settle()
    assert not any(harness.emu.can_post(group, p) for p in people)  # all held back as usual
    assert len(harness.emu.bot_messages(group, include_deleted=True)) == before + 1  # Neema's
    await harness.advance(61)
    sent = harness.emu.bot_messages(group, include_deleted=True)[before:]
    assert len(sent) == 2  # five joins, two welcomes: one per window
    combined = sent[1]
    assert "Welcome, Baraka, Achieng, Otieno, and Zawadi!" in text(combined)
    assert len(text(combined).splitlines()) <= PHONE_SCREEN_LINES

    await harness.tap(amina, group, "I agree")  # not waiting: not her button
    assert "This button is for the person who just joined" in harness.emu.transcript()
    for person in people[1:]:
        await harness.press(person, group, combined.message_id, f"rules:agree:{group.id}:0")
        assert harness.emu.can_post(group, person)
        if person is not people[-1]:
            assert "Welcome, Baraka" in text(harness.emu.message(group, combined.message_id))
    assert "has joined us" in text(harness.emu.message(group, combined.message_id))
    store = harness.app.bot_data.store
    for person in people[1:]:
        assert await store.rules.has_accepted(group.id, person.id, 0)
    assert not harness.emu.can_post(group, people[0])  # Neema has her own welcome still


async def test_rejoining_after_a_rules_change_is_treated_like_staying(harness: Harness) -> None:
    group, amina = await group_with(harness)
    neema = harness.user("Neema")
    await harness.join(group, neema)  # agrees to version 0
    await harness.leave(group, neema)
    await harness.say(group, amina, "/setrules 1. Be gentle\n2. Keep it private")
    harness.emu.join(group, neema)
    await harness.settle()
    assert harness.emu.can_post(group, neema)  # not held back: like those who stayed
    asked = harness.last(group)
    assert "Welcome back, Neema" in text(asked) and "version 1" in text(asked)
    await harness.tap(neema, group, "I agree")
    store = harness.app.bot_data.store
    assert await store.rules.has_accepted(group.id, neema.id, 1)
    assert await store.rules.gate_get(group.id, neema.id) is None


async def test_with_the_gate_off_a_burst_gets_one_greeting_per_window(harness: Harness) -> None:
    group, amina = await group_with(harness)
    await harness.say(group, amina, "/settings gate off")
    before = len(harness.emu.bot_messages(group, include_deleted=True))
    people = [harness.user(name) for name in ("Neema", "Baraka", "Achieng", "Otieno")]
    for person in people:
        harness.emu.join(group, person)
        await harness.settle()
    assert all(harness.emu.can_post(group, p) for p in people)  # nobody is held back
    assert len(harness.emu.bot_messages(group, include_deleted=True)) == before + 1
    harness.emu.leave(group, people[2])  # Achieng left before the window ended
    await harness.settle()
    await harness.advance(61)
    sent = harness.emu.bot_messages(group, include_deleted=True)[before:]
    assert [text(m) for m in sent] == [
        "Welcome, Neema! We're glad you're here. 🌱 Our ground rules: /rules",
        "Welcome, Baraka and Otieno! We're glad you're here. 🌱 Our ground rules: /rules",
    ]


async def test_the_menu_says_when_the_bot_may_not_pin(harness: Harness) -> None:
    group, amina = await group_with(harness, can_pin_messages=False)
    await harness.start(amina, f"settings_{group.id}")
    labels = [str(b["text"]) for b in harness.last(amina).buttons()]
    assert "Pin the full rules in the group: on (I need the “Pin messages” right)" in labels
