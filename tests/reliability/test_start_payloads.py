"""``/start`` payloads reveal nothing of a group to someone who is not in it right now.

A "Read the rules" link (``/start rules_<group id>``) can be passed on, or made up with any
group's id. Whoever is not in that group now — a stranger, a member who left (even one the bot
did not see leave, so its records still say "member"), an excluded person — gets what a plain
private /rules gives them, without the group's title or rules; ``/start setrules_<id>`` tells
them only that it is for administrators. A member still gets the rules, and so does a newcomer
the rules gate holds (their way to read before agreeing).
"""

from __future__ import annotations

from emulator import GroupHandle, UserHandle
from tests.support import Harness

TITLE = "Hidden Harbour Circle"
RULE = "Speak of Tuesday meetings to nobody"


async def _hidden_group(harness: Harness) -> tuple[GroupHandle, UserHandle, UserHandle]:
    owner = harness.user("Amina")
    member = harness.user("Chausiku")
    await harness.start(owner)
    group = await harness.group(TITLE, owner=owner)
    await harness.say(group, owner, f"/setrules 1. {RULE}\n2. Be kind")
    await harness.start(member)
    await harness.join(group, member)
    return group, owner, member


def _revealed(harness: Harness, person: UserHandle, since: int) -> list[str]:
    texts = harness.said(person)[since:]
    return [text for text in texts if TITLE in text or RULE in text]


async def test_a_member_reads_the_rules_by_the_link(harness: Harness) -> None:
    group, _owner, member = await _hidden_group(harness)
    since = len(harness.said(member))
    await harness.start(member, f"rules_{group.id}")
    assert _revealed(harness, member, since)


async def test_a_stranger_learns_nothing_of_the_group(harness: Harness) -> None:
    group, _owner, _member = await _hidden_group(harness)
    stranger = harness.user("Eshe")
    await harness.start(stranger)
    since = len(harness.said(stranger))
    for payload in (f"rules_{group.id}", f"setrules_{group.id}"):
        await harness.start(stranger, payload)
    answers = harness.said(stranger)[since:]
    assert len(answers) == 2  # answered kindly, not ignored
    assert _revealed(harness, stranger, since) == []


async def test_someone_who_left_unseen_learns_nothing(harness: Harness) -> None:
    group, _owner, member = await _hidden_group(harness)
    harness.emu.leave(group, member)
    harness.emu.take_updates()  # the bot never saw it: its records still say "member"
    since = len(harness.said(member))
    await harness.start(member, f"rules_{group.id}")
    await harness.private(member, "/rules")
    assert len(harness.said(member)[since:]) == 2
    assert _revealed(harness, member, since) == []


async def test_a_gated_newcomer_can_read_before_agreeing(harness: Harness) -> None:
    group, _owner, _member = await _hidden_group(harness)
    newcomer = harness.user("Dalia")
    await harness.start(newcomer)
    await harness.join(group, newcomer, agree=False)
    since = len(harness.said(newcomer))
    await harness.start(newcomer, f"rules_{group.id}")
    assert _revealed(harness, newcomer, since)


async def test_an_old_group_pick_button_reveals_nothing_after_leaving(harness: Harness) -> None:
    group, owner, member = await _hidden_group(harness)
    other = await harness.group("Open Circle", owner=owner)
    await harness.join(other, member)
    await harness.private(member, "/rules")  # in two groups: a pick of the group
    pick = harness.last(member)
    data = f"rules:show:{group.id}"
    assert any(b.get("callback_data") == data for b in pick.buttons())
    harness.emu.leave(group, member)
    harness.emu.take_updates()  # unseen by the bot
    since = len(harness.said(member))
    await harness.press(member, member, pick.message_id, data)
    assert _revealed(harness, member, since) == []
