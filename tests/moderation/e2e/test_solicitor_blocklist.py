"""Solicitors: excluded for good, kept out of every group of the deployment, /unblock reverses."""

from __future__ import annotations

from tests.moderation.e2e.conftest import Cast
from tests.support import Harness


async def test_solicitor_is_kept_out_of_every_group(harness: Harness, cast: Cast) -> None:
    seller = harness.user("Dr Promo")
    await harness.join(cast.group, seller)
    await harness.start(seller)
    ad = await harness.say(cast.group, seller, "Therapy sessions from KSh 2000, DM me to book")
    other = await harness.say(cast.group, seller, "Hello friends")
    second = await harness.group("Second Group", owner=cast.owner, join_by_request=True)
    private_before = len(harness.said(seller))

    await harness.say(cast.group, cast.owner, "/solicitor selling therapy", reply_to=ad)
    assert harness.emu.member(cast.group, seller).status == "kicked"
    ban = harness.emu.calls_to("banChatMember")[-1].params
    assert ban.get("revoke_messages") in (True, "true", "True")
    assert harness.emu.message(cast.group, other).deleted  # type: ignore[union-attr]
    assert "removed for good" in harness.said(cast.group)[-1]
    assert len(harness.said(seller)) == private_before  # no private message unless asked
    assert "/unblock" in harness.said(cast.owner)[-1]

    # Their join request to another group of the deployment is declined.
    await harness.request_join(second, seller)
    assert harness.emu.join_requests(second) == []
    assert harness.emu.calls_to("declineChatJoinRequest")
    assert harness.emu.member(second, seller).status != "member"
    # A direct rejoin is undone at once.
    third = await harness.group("Third Group", owner=cast.owner)
    harness.emu.join(third, seller)
    await harness.settle()
    assert harness.emu.member(third, seller).status == "kicked"

    # The admin may ask for a short private note.
    await harness.tap(cast.owner, cast.owner, "Tell them briefly")
    assert "not a place to offer services" in harness.said(seller)[-1]

    store = harness.app.bot_data.store
    assert await store.moderation.is_blocked(seller.id)
    third_log = [e.action for e in await store.audit.recent(third.id)]
    assert "mod.rejoin_undone" in third_log
    assert "mod.join_declined" in [e.action for e in await store.audit.recent(second.id)]

    # /unblock reverses it everywhere.
    await harness.say(cast.group, cast.admin, f"/unblock {seller.id}")
    assert "off the blocklist" in harness.said(cast.group)[-1]
    assert not await store.moderation.is_blocked(seller.id)
    assert harness.emu.member(cast.group, seller).status == "left"
    await harness.request_join(second, seller)
    assert len(harness.emu.join_requests(second)) == 1


async def test_solicitor_blocklist_survives_a_restart(harness: Harness, cast: Cast) -> None:
    said = await harness.say(cast.group, cast.neema, "Book a paid consultation at my clinic")
    await harness.say(cast.group, cast.owner, "/solicitor", reply_to=said)
    await harness.restart()
    other = await harness.group("Other Group", owner=cast.owner)
    harness.emu.join(other, cast.neema)
    await harness.settle()
    assert harness.emu.member(other, cast.neema).status == "kicked"


async def test_solicitor_refuses_admins(harness: Harness, cast: Cast) -> None:
    await harness.say(cast.group, cast.owner, f"/solicitor {cast.admin.id}")
    assert "Admins cannot be muted or excluded" in harness.said(cast.group)[-1]
    assert not await harness.app.bot_data.store.moderation.is_blocked(cast.admin.id)
