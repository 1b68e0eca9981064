"""The rules gate never leaves a newcomer ungated by a failed welcome, nor held back without a
button that works — with failures injected into the emulator's Bot API.

* A welcome that fails in a way that may pass (502, timeout, flood wait) is tried again; the
  newcomer stays held back meanwhile, and can agree already through the private
  ``/start rules_<id>`` path.
* One that can never succeed (the bot may not post) goes privately to a newcomer who started
  the bot, with their own "I agree"; only someone the bot cannot reach at all is let in.
* One that keeps failing ends the same way once the outbox stops trying (20 minutes).
"""

from __future__ import annotations

from emulator import GroupHandle, UserHandle
from tests.support import Harness


async def _circle(harness: Harness) -> GroupHandle:
    owner = harness.user("Amina")
    return await harness.group("Peer Circle", owner=owner)


def _fail_welcomes(harness: Harness, group: GroupHandle, times: int, code: int = 502) -> None:
    description = (
        "Bad Gateway"
        if code == 502
        else "Bad Request: not enough rights to send text messages to the chat"
    )
    for _ in range(times):
        harness.emu.fail_next("sendMessage", code, description, chat_id=group.id)


def _agree_buttons(
    harness: Harness, chat_id: int, group: GroupHandle, person: UserHandle
) -> list[int]:
    own = f"rules:agree:{group.id}:{person.id}"
    return [
        m.message_id
        for m in harness.emu.bot_messages(chat_id)
        if any(b.get("callback_data") == own for b in m.buttons())
    ]


async def test_a_welcome_that_may_pass_is_tried_again_and_the_gate_holds(harness: Harness) -> None:
    group = await _circle(harness)
    neema = harness.user("Neema")
    _fail_welcomes(harness, group, 1)
    await harness.join(group, neema, agree=False)
    assert not harness.emu.can_post(group, neema)  # held back, not let in unread
    assert _agree_buttons(harness, group.id, group, neema) == []
    await harness.advance(31)
    assert _agree_buttons(harness, group.id, group, neema)  # the welcome, on the second try
    assert await harness.agree_to_rules(group, neema)
    assert harness.emu.can_post(group, neema)


async def test_while_waiting_the_private_rules_link_has_a_working_button(harness: Harness) -> None:
    group = await _circle(harness)
    neema = harness.user("Neema")
    await harness.start(neema)
    _fail_welcomes(harness, group, 1)
    await harness.join(group, neema, agree=False)
    await harness.start(neema, f"rules_{group.id}")
    [message_id] = _agree_buttons(harness, neema.id, group, neema)
    await harness.press(neema, neema, message_id, f"rules:agree:{group.id}:{neema.id}")
    assert harness.emu.can_post(group, neema)
    await harness.advance(31)  # the retry finds nothing left to do
    assert _agree_buttons(harness, group.id, group, neema) == []
    assert harness.emu.can_post(group, neema)


async def test_a_welcome_that_cannot_be_posted_goes_privately(harness: Harness) -> None:
    group = await _circle(harness)
    neema = harness.user("Neema")
    await harness.start(neema)
    _fail_welcomes(harness, group, 1, code=400)
    await harness.join(group, neema, agree=False)
    assert not harness.emu.can_post(group, neema)
    [message_id] = _agree_buttons(harness, neema.id, group, neema)
    assert "Peer Circle" in harness.said(neema)[-1]
    await harness.press(neema, neema, message_id, f"rules:agree:{group.id}:{neema.id}")
    assert harness.emu.can_post(group, neema)


async def test_a_welcome_that_keeps_failing_ends_privately_or_lets_them_in(
    harness: Harness,
) -> None:
    group = await _circle(harness)
    reachable, unreachable = harness.user("Neema"), harness.user("Juma")
    await harness.start(reachable)
    for person in (reachable, unreachable):
        _fail_welcomes(harness, group, 30)
        await harness.join(group, person, agree=False)
        assert not harness.emu.can_post(group, person)
        for _ in range(12):  # the outbox's back-off, past the time a welcome may take
            await harness.advance(120)
        harness.emu.clear_failures()  # the injected faults end
    assert _agree_buttons(harness, reachable.id, group, reachable)  # a way in, privately
    assert not harness.emu.can_post(group, reachable)
    assert harness.emu.can_post(group, unreachable)  # no way to reach them: not held back
    store = harness.app.bot_data.store
    assert await store.rules.gate_get(group.id, unreachable.id) is None


async def test_agreeing_when_telegram_does_not_lift_the_gate_keeps_the_button(
    harness: Harness,
) -> None:
    group = await _circle(harness)
    neema = harness.user("Neema")
    await harness.join(group, neema, agree=False)
    harness.emu.fail_next("restrictChatMember", 502, "Bad Gateway", chat_id=group.id)
    assert await harness.agree_to_rules(group, neema)
    assert not harness.emu.can_post(group, neema)
    answer = harness.emu.calls_to("answerCallbackQuery")[-1].params
    assert "again" in str(answer.get("text"))  # told kindly to tap again, not "no longer active"
    assert await harness.agree_to_rules(group, neema)  # the same button still works
    assert harness.emu.can_post(group, neema)
