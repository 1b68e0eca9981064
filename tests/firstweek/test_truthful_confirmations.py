"""Issue 11 item 2: truthful, discreet confirmations.

A measure on someone not in the group is refused (Telegram's live answer) and records nothing.
The group's confirmation names nobody, claims only what was done, and is gone after a minute
(a scheduled action: a restart in between does not keep it). The admins get the whole outcome
privately, including what could not be done; a support message that could not be sent waits
and goes out the moment the member opens a private chat with the bot."""

from __future__ import annotations

from tests.moderation.e2e.conftest import Cast
from tests.support import Harness


async def test_a_measure_on_someone_not_in_the_group_is_refused(
    harness: Harness, cast: Cast
) -> None:
    store = harness.app.bot_data.store
    await harness.say(cast.group, cast.owner, "/warn 999999 spamming")
    assert "not in this group right now" in harness.said(cast.group)[-1]
    assert await store.moderation.warning_count(cast.group.id, 999999) == 0
    # Someone who was a member but left is not warned either.
    await harness.leave(cast.group, cast.neema)
    await harness.say(cast.group, cast.owner, f"/warn {cast.neema.id}")
    assert "not in this group right now" in harness.said(cast.group)[-1]
    assert await store.moderation.warning_count(cast.group.id, cast.neema.id) == 0
    await harness.say(cast.group, cast.owner, "/solicitor 999999")
    assert "not in this group right now" in harness.said(cast.group)[-1]
    assert not await store.moderation.is_blocked(999999)
    assert not any("Done" in t for t in harness.said(cast.group))


async def test_confirmation_names_nobody_and_goes_after_a_minute(
    harness: Harness, cast: Cast
) -> None:
    said = await harness.say(cast.group, cast.juma, "something hurtful")
    command = await harness.say(cast.group, cast.owner, "/mute 1d cooling down", reply_to=said)
    public = harness.last(cast.group)
    assert public.text == "✅ Done: read-only for 1 day."
    assert harness.emu.message(cast.group, command).deleted  # type: ignore[union-attr]
    assert "Juma cannot write in Peer Group for 1 day" in harness.said(cast.owner)[-1]
    # The removal is kept in the database: a restart before the minute is up still removes it.
    await harness.restart(downtime=30)
    assert not harness.emu.message(cast.group, public.message_id).deleted  # type: ignore[union-attr]
    await harness.advance(31)
    assert harness.emu.message(cast.group, public.message_id).deleted  # type: ignore[union-attr]
    await harness.say(cast.group, cast.owner, "/warn", reply_to=said)
    assert harness.last(cast.group).text == "✅ Done: a warning is recorded."
    await harness.restart(downtime=120)
    assert harness.said(cast.group)[-1:] != ["✅ Done: a warning is recorded."]


async def test_support_message_waits_until_the_member_opens_a_private_chat(
    harness: Harness, cast: Cast
) -> None:
    said = await harness.say(cast.group, cast.neema, "hi")
    await harness.say(cast.group, cast.owner, "/exclude 3d needs a pause", reply_to=said)
    assert harness.emu.member(cast.group, cast.neema).status == "kicked"
    public = harness.said(cast.group)[-1]
    assert public == "✅ Done: out of the group for 3 days."  # no "with support" claimed
    private = harness.said(cast.owner)[-1]
    assert "Neema is out of Peer Group for 3 days" in private
    assert "they have never opened a private chat with me" in private
    assert "They will get it the moment they do" in private
    sanction = await harness.app.bot_data.store.moderation.active_sanction(
        cast.group.id, cast.neema.id, "exclude"
    )
    assert sanction is not None and not sanction.reached

    # A day later Neema opens the private chat: the support message is there, with the time left.
    await harness.advance(86400)
    await harness.start(cast.neema)
    got = harness.said(cast.neema)
    support = next(t for t in got if "needs a pause" in t)
    assert "Peer Group" in support and "/talk" in support
    assert "2 days" in support
    assert (
        "has now opened a private chat with me and received the support message"
        in (harness.said(cast.owner)[-1])
    )
    sanction = await harness.app.bot_data.store.moderation.sanction(sanction.id)
    assert sanction is not None and sanction.reached
    # Once, not again at the next start of a private chat.
    count = len(harness.said(cast.neema))
    await harness.block(cast.neema)
    harness.emu.unblock_bot(cast.neema)
    await harness.settle()
    assert len(harness.said(cast.neema)) == count
