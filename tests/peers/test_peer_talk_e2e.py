"""/talk to a chosen peer or any willing peer, by consent, end to end through the emulator."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.people import zone_of
from bot.talk.policy import policy
from emulator import GroupHandle, UserHandle
from tests.support import Harness
from tests.talk.test_talk_e2e import offer_of, text_of

NOT_AVAILABLE = "not available right now"
NOT_TAKING = "doesn't take one-to-one requests"


@dataclass
class Peers:
    group: GroupHandle
    amina: UserHandle  # asks
    juma: UserHandle  # a peer who opted in, describes himself as a man
    neema: UserHandle  # a peer who opted in, describes herself as a woman
    zawadi: UserHandle  # never opted in
    admin: UserHandle


async def peers(harness: Harness) -> Peers:
    owner = harness.user("Wanjiru")
    baraka = harness.user("Baraka")
    amina = harness.user("Amina", username="amina_w")
    juma = harness.user("Juma", username="juma_p")
    neema = harness.user("Neema", username="neema_k")
    zawadi = harness.user("Zawadi", username="zawadi_m")
    group = await harness.group("Peer Group", owner=owner, admins=[baraka])
    for person in (amina, juma, neema, zawadi):
        await harness.join(group, person)
    for person in (baraka, amina, juma, neema, zawadi):
        await harness.start(person)
    await harness.private(juma, "/peer on")
    assert "can now ask to talk" in (harness.last(juma).text or "")
    await harness.private(juma, "/peer about man swahili")
    await harness.private(neema, "/peer on")
    await harness.private(neema, "/peer about mwanamke anxiety")
    assert "woman" in (harness.last(neema).text or "")
    return Peers(group, amina, juma, neema, zawadi, baraka)


def offers(harness: Harness, peer: UserHandle) -> int:
    """How many requests were ever sent to this person (a settled copy loses its buttons)."""
    return sum(
        call.ok
        and str(call.params.get("chat_id")) == str(peer.id)
        and "talk:accept:" in str(call.params.get("reply_markup", ""))
        for call in harness.emu.calls_to("sendMessage")
    )


def labels(harness: Harness, chat: UserHandle) -> list[str]:
    return [str(b.get("text", "")) for b in harness.last(chat).buttons()]


async def test_a_named_peer_accepts_and_the_relay_works(harness: Harness) -> None:
    p = await peers(harness)
    await harness.private(p.amina, "/talk @juma_p")
    assert "asked privately" in (harness.last(p.amina).text or "")
    offer = text_of(harness, p.juma, offer_of(harness, p.juma))
    assert "Peer Group" in offer
    assert "Amina" not in offer and "amina_w" not in offer  # the asker is not named
    await harness.tap(p.juma, p.juma, "Accept")
    assert "connected" in (harness.last(p.amina).text or "").lower()
    await harness.private(p.amina, "Thank you for saying yes")
    assert harness.said(p.juma)[-1] == "Thank you for saying yes"
    await harness.private(p.juma, "I'm here")
    assert harness.said(p.amina)[-1] == "I'm here"
    assert "Juma" not in " ".join(harness.said(p.amina))  # not shared unless he chooses


async def test_a_decline_or_no_answer_is_reported_neutrally_with_others_offered(
    harness: Harness,
) -> None:
    p = await peers(harness)
    await harness.private(p.amina, "/talk @juma_p")
    await harness.tap(p.juma, p.juma, "Not now")
    told = harness.last(p.amina).text or ""
    assert NOT_AVAILABLE in told and "declin" not in told.lower()
    assert "Kenya Red Cross" in told  # the group's support lines
    assert labels(harness, p.amina) == ["Ask an administrator instead", "Ask any willing peer"]

    # No answer in time: the same words, and the peer is asked only once.
    await harness.private(p.amina, "/talk @neema_k")
    await harness.advance(policy(harness.app.bot_data).accept_seconds + 1)
    assert harness.last(p.amina).text == told
    assert offers(harness, p.neema) == 1

    # "Ask any willing peer" from there.
    await harness.tap(p.amina, p.amina, "Ask any willing peer")
    assert "asked privately" in (harness.last(p.amina).text or "")
    assert offers(harness, p.juma) == 2 and offers(harness, p.neema) == 2


async def test_a_member_who_did_not_opt_in_is_never_contacted(harness: Harness) -> None:
    p = await peers(harness)
    before = len(harness.emu.bot_messages(p.zawadi))
    await harness.private(p.amina, "/talk @zawadi_m")
    assert NOT_TAKING in (harness.last(p.amina).text or "")
    await harness.private(p.amina, "/talk @nobody_we_know")
    assert NOT_TAKING in (harness.last(p.amina).text or "")
    assert len(harness.emu.bot_messages(p.zawadi)) == before
    assert await harness.app.bot_data.store.talk.active_for(p.amina.id) is None


async def test_opting_out_and_blocking_look_the_same_and_can_be_undone(harness: Harness) -> None:
    p = await peers(harness)
    await harness.private(p.juma, "/peer off")
    assert "won't get requests" in (harness.last(p.juma).text or "")
    await harness.private(p.amina, "/talk @juma_p")
    not_taking = harness.last(p.amina).text or ""
    assert NOT_TAKING in not_taking and offers(harness, p.juma) == 0
    await harness.private(p.juma, "/peer on")  # opting in again

    await harness.private(p.amina, "/talk @juma_p")
    await harness.tap(p.juma, p.juma, "no requests from this person")
    assert "They are not told" in (harness.last(p.juma).text or "")
    told = harness.last(p.amina).text or ""
    assert NOT_AVAILABLE in told and "block" not in told.lower()
    await harness.private(p.amina, "/talk @juma_p")
    assert harness.last(p.amina).text == not_taking  # blocked: the same words as opted out
    await harness.private(p.amina, "/talk peer man")
    assert offers(harness, p.juma) == 1  # not asked as a willing peer either
    await harness.private(p.amina, "/end")

    await harness.private(p.juma, "/peer unblock")
    await harness.private(p.amina, "/talk @juma_p")
    assert offers(harness, p.juma) == 2


async def test_a_preference_match_never_reveals_an_unmatched_peer(harness: Harness) -> None:
    p = await peers(harness)
    await harness.private(p.amina, "/talk peer woman")
    assert offers(harness, p.neema) == 1 and offers(harness, p.juma) == 0
    offer = text_of(harness, p.neema, offer_of(harness, p.neema))
    assert "woman" in offer and "Amina" not in offer
    await harness.tap(p.neema, p.neema, "Not now")
    declined = harness.last(p.amina).text or ""

    # Nobody at all describes themselves this way: exactly the same answer.
    await harness.private(p.amina, "/talk peer psychosis")
    assert harness.last(p.amina).text == declined
    assert offers(harness, p.juma) == 0 and offers(harness, p.neema) == 1
    for name in ("Juma", "juma_p", "Neema", "neema_k"):
        assert name not in " ".join(harness.said(p.amina))
    # Words are only ever the ones on the list: nothing is guessed.
    await harness.private(p.amina, "/talk peer unicorn")
    assert "I know only these words" in (harness.last(p.amina).text or "")


async def test_a_member_of_several_groups_finds_a_willing_peer_in_any_of_them(
    harness: Harness,
) -> None:
    """Amina is in two groups. The one the bot would try first (her groups are in id order)
    has no willing peer; the other has Rehema: the request reaches Rehema, naming the group
    they share (never one she is not in)."""
    p = await peers(harness)
    await harness.private(p.juma, "/peer off")
    await harness.private(p.neema, "/peer off")
    owner, rehema = harness.user("Achieng"), harness.user("Rehema")
    other = await harness.group("Evening Circle", owner=owner)
    await harness.join(other, p.amina)
    first, second = sorted((p.group, other), key=lambda group: group.id)
    await harness.join(second, rehema)
    await harness.start(rehema)
    await harness.private(rehema, "/peer on")
    await harness.private(p.amina, "/talk peer")
    assert offers(harness, rehema) == 1
    offer = text_of(harness, rehema, offer_of(harness, rehema))
    assert second.title in offer and first.title not in offer and "Amina" not in offer
    assert offers(harness, p.juma) == 0 and offers(harness, p.neema) == 0


async def test_a_peer_is_only_asked_within_the_hours_they_chose(harness: Harness) -> None:
    p = await peers(harness)
    await harness.private(p.neema, "/peer off")
    data = harness.app.bot_data
    hour = datetime.fromtimestamp(data.clock.epoch(), await zone_of(data, p.group.id)).hour
    later = f"{(hour + 1) % 24}-{(hour + 3) % 24}"
    await harness.private(p.juma, f"/peer hours {later}")
    assert "only ask you to listen between" in (harness.last(p.juma).text or "")
    await harness.private(p.amina, "/talk peer")
    assert offers(harness, p.juma) == 0  # outside his hours: not asked
    assert NOT_AVAILABLE in (harness.last(p.amina).text or "")
    await harness.private(p.amina, "/end")
    await harness.private(p.juma, "/peer hours soon")
    assert "/peer hours 18-22" in (harness.last(p.juma).text or "")
    await harness.private(p.juma, "/peer hours any")
    await harness.private(p.amina, "/talk peer")
    assert offers(harness, p.juma) == 1


async def test_a_peers_words_are_stored_encrypted(harness: Harness) -> None:
    p = await peers(harness)
    await harness.private(p.amina, "/talk peer anxiety")
    db = harness.app.bot_data.store.db
    rows = [dict(r) for r in await db.fetch_all("SELECT * FROM peer_talkers")]
    rows += [dict(r) for r in await db.fetch_all("SELECT * FROM peer_asks")]
    assert rows and "anxiety" not in str(rows) and "woman" not in str(rows)
    assert offers(harness, p.neema) == 1


async def test_a_request_to_a_peer_survives_a_restart(harness: Harness) -> None:
    p = await peers(harness)
    await harness.private(p.amina, "/talk @neema_k")
    await harness.restart(downtime=60)
    await harness.tap(p.neema, p.neema, "Accept")
    await harness.private(p.neema, "Hello, I'm listening")
    assert harness.said(p.amina)[-1] == "Hello, I'm listening"


async def test_requests_to_peers_share_the_talk_rate_limit(harness: Harness) -> None:
    p = await peers(harness)
    for _ in range(policy(harness.app.bot_data).requests_per_hour):
        await harness.private(p.amina, "/talk @juma_p")
        await harness.private(p.amina, "/end")
    await harness.private(p.amina, "/talk @juma_p")
    assert "wait a little" in (harness.last(p.amina).text or "")
    assert offers(harness, p.juma) == policy(harness.app.bot_data).requests_per_hour
