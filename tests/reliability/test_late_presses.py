"""A press handled after Telegram has forgotten it (the bot was busy or down for more than
about 15 seconds) is no crash: Telegram refuses the answer, and that is all."""

from __future__ import annotations

from tests.support import Harness


async def test_a_press_handled_too_late_to_answer_is_no_error(harness: Harness) -> None:
    owner, member = harness.user("Amina"), harness.user("Chausiku")
    await harness.start(member)
    first = await harness.group("Peer Circle", owner=owner)
    second = await harness.group("Open Circle", owner=owner)
    for group in (first, second):
        await harness.join(group, member)
    await harness.private(member, "/rules")  # in two groups: a pick of the group
    pick = harness.last(member)
    data = f"rules:show:{first.id}"
    harness.emu.press(member, member, pick.message_id, data)
    harness.clock.advance(60)  # the update waits a minute before the bot handles it
    await harness.settle()
    refused = [c for c in harness.emu.calls_to("answerCallbackQuery") if not c.ok]
    assert len(refused) == 1  # Telegram said "too old"; the harness fails on any error logged
