"""Buddies on request, end to end: both say yes before anyone is named; either ends it."""

from __future__ import annotations

from emulator import UserHandle
from tests.peers.test_peer_talk_e2e import Peers, peers
from tests.support import Harness


def told(harness: Harness, user: UserHandle) -> str:
    return harness.last(user).text or ""


def links_to(harness: Harness, user: UserHandle, other: UserHandle) -> bool:
    """The bot gave ``user`` a link to ``other``'s account."""
    return any(str(other.id) in str(m.entities) for m in harness.emu.bot_messages(user))


async def willing(harness: Harness) -> Peers:
    p = await peers(harness)
    await harness.private(p.juma, "/buddy on")
    await harness.private(p.neema, "/buddy on")
    assert "suggest you as a buddy" in told(harness, p.neema)
    return p


async def test_a_pair_forms_only_after_both_say_yes(harness: Harness) -> None:
    p = await willing(harness)
    await harness.private(p.amina, "/buddy find woman")
    found = told(harness, p.amina)
    assert "In their own words: woman, lived experience of anxiety" in found
    assert "Neema" not in found and "neema_k" not in found
    assert "A member of one of your groups would like a buddy" in told(harness, p.neema)
    assert "Amina" not in told(harness, p.neema)
    assert "would like a buddy" not in " ".join(harness.said(p.juma))  # not his words

    await harness.tap(p.amina, p.amina, "Yes, let's be buddies")
    assert "when the other person has answered" in told(harness, p.amina)
    assert not links_to(harness, p.amina, p.neema) and not links_to(harness, p.neema, p.amina)
    await harness.tap(p.neema, p.neema, "Yes, let's be buddies")
    assert links_to(harness, p.amina, p.neema) and links_to(harness, p.neema, p.amina)
    assert not links_to(harness, p.juma, p.amina)


async def test_a_not_now_shares_nothing_and_a_rematch_is_someone_new(harness: Harness) -> None:
    p = await willing(harness)
    await harness.private(p.amina, "/buddy find")
    first = p.juma if "A member of one of your groups" in told(harness, p.juma) else p.neema
    second = p.neema if first is p.juma else p.juma
    await harness.tap(first, first, "Not now")
    assert "didn't go ahead" in told(harness, p.amina)
    assert not links_to(harness, p.amina, first)

    await harness.private(p.amina, "/buddy find")  # re-match: someone new
    assert "A member of one of your groups would like a buddy" in told(harness, second)
    await harness.tap(p.amina, p.amina, "Yes, let's be buddies")
    await harness.tap(second, second, "Yes, let's be buddies")
    assert links_to(harness, p.amina, second) and not links_to(harness, p.amina, first)

    await harness.private(p.amina, "/buddy find")
    assert "already have a buddy" in told(harness, p.amina)


async def amina_and_neema(harness: Harness) -> Peers:
    """Amina and Neema are buddies (Juma opted out of being one)."""
    p = await willing(harness)
    await harness.private(p.juma, "/buddy off")
    await harness.private(p.amina, "/buddy find")
    await harness.tap(p.amina, p.amina, "Yes, let's be buddies")
    await harness.tap(p.neema, p.neema, "Yes, let's be buddies")
    return p


async def test_either_can_end_without_a_reason_and_the_other_is_told_kindly(
    harness: Harness,
) -> None:
    p = await amina_and_neema(harness)
    await harness.private(p.neema, "/buddy end")
    assert "told kindly" in told(harness, p.neema)
    ended = told(harness, p.amina)
    assert "has ended" in ended and "no reason is needed" in ended
    await harness.private(p.amina, "/buddy end")
    assert "no buddy right now" in told(harness, p.amina)
    await harness.private(p.amina, "/buddy find")  # Juma opted out, Neema was proposed before
    assert "couldn't find a buddy" in told(harness, p.amina)


async def test_a_buddy_who_asks_to_be_forgotten_leaves_the_other_told_kindly(
    harness: Harness,
) -> None:
    p = await amina_and_neema(harness)
    await harness.private(p.neema, "/forgetme")
    await harness.press(p.neema, p.neema, harness.last(p.neema).message_id, "circle:forget:0")
    ended = told(harness, p.amina)
    assert "has ended" in ended and "no reason is needed" in ended
    assert await harness.app.bot_data.store.peers.current_pair(p.amina.id) is None


async def test_someone_elses_proposal_cannot_be_answered(harness: Harness) -> None:
    p = await willing(harness)
    await harness.private(p.amina, "/buddy find woman")
    proposal = harness.last(p.neema)
    data = str(proposal.buttons()[0]["callback_data"])
    await harness.press(p.zawadi, p.zawadi, harness.last(p.zawadi).message_id, data, forge=True)
    pair = await harness.app.bot_data.store.peers.current_pair(p.amina.id)
    assert pair is not None and not pair.buddy_yes and not pair.member_yes


DAY = 86_400


async def paired(harness: Harness) -> Peers:
    p = await willing(harness)
    await harness.private(p.amina, "/buddy find woman")
    await harness.tap(p.amina, p.amina, "Yes, let's be buddies")
    await harness.tap(p.neema, p.neema, "Yes, let's be buddies")
    return p


async def test_a_buddy_can_be_the_one_who_checks_in(harness: Harness) -> None:
    p = await paired(harness)
    await harness.private(p.amina, "/checkin")
    await harness.tap(p.amina, p.amina, "Tomorrow")
    await harness.tap(p.amina, p.amina, "My buddy")
    assert "by your buddy" in told(harness, p.amina)
    await harness.restart(downtime=60)
    await harness.advance(DAY + 60)
    assert "asked you to check in on them" in told(harness, p.neema)
    assert str(p.amina.id) in str(harness.last(p.neema).entities)
    assert "I'm OK" in str(harness.last(p.amina).buttons())  # the member's own check-in too


async def test_after_the_buddy_ends_pamoja_checks_in_alone(harness: Harness) -> None:
    p = await paired(harness)
    await harness.private(p.amina, "/checkin")
    await harness.tap(p.amina, p.amina, "Tomorrow")
    await harness.tap(p.amina, p.amina, "My buddy")
    await harness.private(p.neema, "/buddy end")
    before = len(harness.emu.bot_messages(p.neema))
    await harness.advance(DAY + 60)
    assert len(harness.emu.bot_messages(p.neema)) == before  # no longer her part
    assert "I'm OK" in str(harness.last(p.amina).buttons())


async def test_no_buddy_no_buddy_choice(harness: Harness) -> None:
    p = await willing(harness)
    await harness.private(p.amina, "/checkin")
    await harness.tap(p.amina, p.amina, "Tomorrow")
    assert "My buddy" not in str(harness.last(p.amina).buttons())


async def test_an_admin_checks_a_match_only_when_both_said_yes(harness: Harness) -> None:
    p = await paired(harness)
    admin = p.admin
    await harness.private(p.amina, "/buddy check yes")
    assert "only if your buddy says yes too" in told(harness, p.amina)
    await harness.private(admin, "/buddy review")
    assert "Pairs not asked, because they did not both agree: 1" in told(harness, admin)
    assert "is your buddy match working" not in " ".join(harness.said(p.amina))

    await harness.private(p.neema, "/buddy check yes")
    await harness.private(admin, "/buddy review")
    assert "(both said yes to it): 1" in told(harness, admin)
    await harness.tap(p.neema, p.neema, "It's working")
    answer = told(harness, admin)
    assert "answered your check: It's working" in answer
    assert "Neema" not in answer and "Amina" not in answer

    await harness.private(p.amina, "/buddy review")  # not an administrator
    assert "administrator" in told(harness, p.amina).lower()
