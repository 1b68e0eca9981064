"""Kind words by consent, end to end (the real Application, SQLite, the emulator): the group
sees exactly the words the member approved, and nothing without their yes."""

from __future__ import annotations

from dataclasses import dataclass

from emulator import GroupHandle, UserHandle
from tests.support import Harness

DAY = 86_400
WORDS = "Amina would appreciate kind words this week 💛"
ENDED = "This invitation for kind words has ended"


@dataclass(frozen=True)
class People:
    group: GroupHandle
    baraka: UserHandle  # an administrator
    amina: UserHandle  # the member
    juma: UserHandle  # another member


async def people(harness: Harness) -> People:
    owner = harness.user("Wanjiru")
    baraka = harness.user("Baraka")
    amina = harness.user("Amina")
    juma = harness.user("Juma", username="juma_k")
    group = await harness.group("Peer Group", owner=owner, admins=[baraka])
    for member in (amina, juma):
        await harness.join(group, member)
    for person in (baraka, amina, juma):
        await harness.start(person)
    return People(group, baraka, amina, juma)


async def ask(harness: Harness, p: People, by: UserHandle | None = None) -> int:
    """Amina writes in the group; an administrator replies to it with /kindwords."""
    said = await harness.say(p.group, p.amina, "Hello everyone")
    return await harness.say(p.group, by or p.baraka, "/kindwords", reply_to=said)


async def opened(harness: Harness) -> People:
    """An administrator asked, and Amina said yes to the words: the group sees the post."""
    p = await people(harness)
    await ask(harness, p)
    await harness.tap(p.amina, p.amina, "Yes, post these words")
    return p


def group_posts(harness: Harness, p: People) -> list[str]:
    return [text for text in harness.said(p.group) if "kind words" in text.lower()]


async def invitation_id(harness: Harness, p: People) -> int:
    found = await harness.app.bot_data.store.kindwords.current(p.group.id, p.amina.id)
    assert found is not None
    return found.id


async def test_the_group_sees_exactly_the_approved_words_after_the_members_yes(
    harness: Harness,
) -> None:
    p = await people(harness)
    command = await ask(harness, p)
    removed = harness.emu.message(p.group, command)
    assert removed is not None and removed.deleted
    assert group_posts(harness, p) == []
    assert WORDS in (harness.last(p.amina).text or "")
    assert "asked them privately" in (harness.last(p.baraka).text or "")

    await harness.tap(p.amina, p.amina, "Yes, post these words")
    assert group_posts(harness, p) == [WORDS]
    post = harness.last(p.group)
    assert [b["text"] for b in post.buttons()] == ["💌 Send kind words"]
    assert str(post.buttons()[0]["url"]).endswith(f"?start=kw-{await invitation_id(harness, p)}")


async def test_the_group_sees_the_members_own_words_when_they_changed_them(
    harness: Harness,
) -> None:
    p = await people(harness)
    await ask(harness, p)
    await harness.tap(p.amina, p.amina, "Change the words")
    await harness.private(p.amina, "write to @amina_k")  # pointing at an account: refused
    assert "can't post those words" in (harness.last(p.amina).text or "")
    await harness.private(p.amina, "  A. is having a hard week,   kind words welcome ")
    assert "A. is having a hard week, kind words welcome" in (harness.last(p.amina).text or "")
    assert group_posts(harness, p) == []
    await harness.tap(p.amina, p.amina, "Yes, post these words")
    assert group_posts(harness, p) == ["A. is having a hard week, kind words welcome"]


async def test_no_or_no_answer_shows_the_group_nothing_and_the_admin_hears_not_this_time(
    harness: Harness,
) -> None:
    p = await people(harness)
    await ask(harness, p)
    await harness.tap(p.amina, p.amina, "No, thank you")
    assert "Nothing was posted" in (harness.last(p.amina).text or "")
    assert "not this time" in (harness.last(p.baraka).text or "")
    assert "Amina" not in (harness.last(p.baraka).text or "")

    # Asked again, and never answered: after two days it lapses, quietly.
    await ask(harness, p)
    await harness.advance(2 * DAY + 60)
    assert "not this time" in (harness.last(p.baraka).text or "")
    assert group_posts(harness, p) == []
    ever = harness.emu.bot_messages(p.group, include_deleted=True)
    assert not [m for m in ever if "would appreciate" in (m.text or "")]
    # A lapsed ask cannot be said yes to later.
    await harness.tap(p.amina, p.amina, "Yes, post these words")
    assert group_posts(harness, p) == []


async def test_a_kind_message_is_relayed_anonymously_or_with_the_name_and_never_posted(
    harness: Harness,
) -> None:
    p = await opened(harness)
    payload = f"kw-{await invitation_id(harness, p)}"

    await harness.start(p.juma, payload)
    await harness.tap(p.juma, p.juma, "Without my name")
    await harness.private(p.juma, "You are not alone, we are with you")
    relayed = harness.last(p.amina)
    assert "You are not alone, we are with you" in (relayed.text or "")
    for trace in ("Juma", "juma_k", str(p.juma.id)):
        assert trace not in str(relayed.text) + str(relayed.entities) + str(relayed.reply_markup)
    assert "Thank you for your kindness" in (harness.last(p.juma).text or "")

    await harness.start(p.juma, payload)
    await harness.tap(p.juma, p.juma, "With my name")
    await harness.private(p.juma, "Thinking of you")
    assert "from Juma" in (harness.last(p.amina).text or "")
    group_texts = " ".join(harness.said(p.group))
    assert "not alone" not in group_texts and "Thinking of you" not in group_texts


async def test_senders_are_limited_and_the_member_cannot_write_to_themselves(
    harness: Harness,
) -> None:
    p = await opened(harness)
    payload = f"kw-{await invitation_id(harness, p)}"
    for n in range(4):
        await harness.start(p.juma, payload)
        await harness.tap(p.juma, p.juma, "Without my name")
        await harness.private(p.juma, f"Kind note {n}")
    assert "You can send more tomorrow" in (harness.last(p.juma).text or "")
    relayed = [t for t in harness.said(p.amina) if "Kind note" in t]
    assert len(relayed) == 3
    await harness.start(p.amina, payload)
    assert "your own invitation" in (harness.last(p.amina).text or "")


async def test_stop_ends_it_and_the_group_post_is_withdrawn(harness: Harness) -> None:
    p = await opened(harness)
    await harness.tap(p.amina, p.amina, "Stop kind words")
    assert group_posts(harness, p)[-1].startswith(ENDED)
    assert WORDS not in harness.said(p.group)
    assert harness.last(p.group).buttons() == []
    await harness.start(p.juma, f"kw-{await invitation_id_any(harness, p)}")
    assert "has ended" in (harness.last(p.juma).text or "")


async def invitation_id_any(harness: Harness, p: People) -> int:
    row = await harness.app.bot_data.store.db.fetch_one(
        "SELECT id FROM kindwords_invitations WHERE member_id = ? ORDER BY id DESC", (p.amina.id,)
    )
    assert row is not None
    return int(row["id"])


async def test_the_end_date_survives_a_restart(harness: Harness) -> None:
    p = await opened(harness)
    await harness.restart(downtime=DAY)
    await harness.advance(6 * DAY - 120)
    assert group_posts(harness, p) == [WORDS]
    await harness.advance(240)
    assert group_posts(harness, p)[-1].startswith(ENDED)
    assert "has ended" in (harness.last(p.amina).text or "")
    stored = await harness.app.bot_data.store.kindwords.get(await invitation_id_any(harness, p))
    assert stored is not None and stored.words is None  # nothing kept once it ended


async def test_a_non_admin_gets_a_kind_refusal_and_nothing_changes(harness: Harness) -> None:
    p = await people(harness)
    before = len(harness.said(p.amina))
    await ask(harness, p, by=p.juma)
    assert "Only the group's administrators" in (harness.last(p.group).text or "")
    assert await harness.app.bot_data.store.kindwords.current(p.group.id, p.amina.id) is None
    assert len(harness.said(p.amina)) == before


async def test_forged_data_or_another_persons_button_changes_nothing(harness: Harness) -> None:
    p = await people(harness)
    await ask(harness, p)
    invitation = await invitation_id(harness, p)
    own = harness.last(p.juma)  # a message of Juma's own chat, with forged data
    for data in (
        f"kindwords:yes:{invitation}",
        "kindwords:yes:x",
        "kindwords:yes",
        "kindwords:nope",
    ):
        await harness.press(p.juma, p.juma, own.message_id, data, forge=True)
    await harness.press(p.juma, p.juma, own.message_id, f"kindwords:stop:{invitation}", forge=True)
    assert group_posts(harness, p) == []
    stored = await harness.app.bot_data.store.kindwords.get(invitation)
    assert stored is not None and stored.state == "asked"
    assert harness.errors == []


async def send(harness: Harness, p: People, sender: UserHandle, sign: str, text: str) -> None:
    await harness.start(sender, f"kw-{await invitation_id_any(harness, p)}")
    await harness.tap(sender, sender, sign)
    await harness.private(sender, text)


async def test_the_member_can_mute_a_sender(harness: Harness) -> None:
    p = await opened(harness)
    await send(harness, p, p.juma, "Without my name", "First note")
    await harness.tap(p.amina, p.amina, "Mute this sender")
    assert "will not reach you" in (harness.last(p.amina).text or "")
    await send(harness, p, p.juma, "Without my name", "Second note")
    assert not [t for t in harness.said(p.amina) if "Second note" in t]
    assert "not taking messages from you" in (harness.last(p.juma).text or "")
    await send(harness, p, p.baraka, "With my name", "From Baraka")  # others still can
    assert "From Baraka" in (harness.last(p.amina).text or "")


async def test_a_hurtful_message_reported_reaches_the_admins_without_the_reporter(
    harness: Harness,
) -> None:
    p = await opened(harness)
    await send(harness, p, p.juma, "Without my name", "Something unkind")
    await harness.tap(p.amina, p.amina, "Report as hurtful")
    notice = harness.last(p.baraka)
    assert "reported as hurtful" in (notice.text or "")
    assert "Something unkind" in (notice.text or "")
    assert f"tg://user?id={p.juma.id}" in str(notice.entities)
    assert "Amina" not in (notice.text or "") and str(p.amina.id) not in str(notice.entities)
    assert "Something unkind" not in " ".join(harness.said(p.group))
    await send(harness, p, p.juma, "Without my name", "Again")
    assert not [t for t in harness.said(p.amina) if "Again" in t]


async def test_it_ends_when_the_member_left_the_group(harness: Harness) -> None:
    p = await opened(harness)
    await harness.leave(p.group, p.amina)
    await harness.start(p.juma, f"kw-{await invitation_id_any(harness, p)}")
    assert "has ended" in (harness.last(p.juma).text or "")
    assert group_posts(harness, p)[-1].startswith(ENDED)


async def test_the_group_post_ends_as_soon_as_the_member_is_gone(harness: Harness) -> None:
    """Left of their own accord, or excluded: the post inviting kind words for them is withdrawn
    at once, not when someone next opens it; one still being asked is closed quietly."""
    p = await opened(harness)
    await harness.leave(p.group, p.amina)
    assert group_posts(harness, p)[-1].startswith(ENDED)
    assert harness.last(p.group).buttons() == []
    found = await harness.app.bot_data.store.kindwords.current(p.group.id, p.amina.id)
    assert found is None

    said = await harness.say(p.group, p.juma, "Hello everyone")
    await harness.say(p.group, p.baraka, "/kindwords", reply_to=said)
    assert await harness.app.bot_data.store.kindwords.current(p.group.id, p.juma.id)
    await harness.say(p.group, p.baraka, "/exclude 1d", reply_to=said)
    assert harness.emu.member(p.group, p.juma).status == "kicked"
    assert await harness.app.bot_data.store.kindwords.current(p.group.id, p.juma.id) is None


async def test_a_member_may_ask_for_kind_words_themselves(harness: Harness) -> None:
    p = await people(harness)
    await harness.private(p.amina, "/kindwords")
    await harness.tap(p.amina, p.amina, "Peer Group")
    assert WORDS in (harness.last(p.amina).text or "")
    assert group_posts(harness, p) == []
    await harness.tap(p.amina, p.amina, "Yes, post these words")
    assert group_posts(harness, p) == [WORDS]
