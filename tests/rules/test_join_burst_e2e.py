"""A burst of joins into one group spends one or two of the group's sends (20 a minute), not
one per newcomer: the welcomes of a window are combined."""

from __future__ import annotations

from bot.adapters.ratelimit import SEND_METHODS
from bot.rules.policy import WELCOME_WINDOW
from tests.support import Harness

JOINERS = 12


async def test_twelve_joins_spend_at_most_two_group_sends(harness: Harness) -> None:
    owner, member = harness.user("Amina"), harness.user("Juma")
    group = await harness.group("Peer Group", owner=owner, members=[member])
    await harness.start(owner)
    sent_before = _sends_into(harness, group.id)

    newcomers = [harness.user(f"Newcomer {n}") for n in range(JOINERS)]
    for person in newcomers:
        harness.emu.join(group, person)
    await harness.settle()  # all twelve joins handled together, as they arrive
    harness.clock.advance(WELCOME_WINDOW + 1)
    await harness.run_due()

    assert 1 <= _sends_into(harness, group.id) - sent_before <= 2
    welcomed = " ".join(message.text or "" for message in harness.emu.bot_messages(group))
    assert all(person.first_name in welcomed for person in newcomers)


def _sends_into(harness: Harness, chat_id: int) -> int:
    return sum(
        1
        for call in harness.emu.calls
        if call.method in SEND_METHODS and call.params.get("chat_id") in (chat_id, str(chat_id))
    )
