"""Issue 11 item 5, people not numbers: /warn @username (anyone the bot has seen), /id as a
reply (the id goes to the admin privately), and /unblock and /readmit from the private chat
with a pick of the admin's groups."""

from __future__ import annotations

import json

from tests.moderation.e2e.conftest import Cast
from tests.support import Harness


async def test_warn_by_username_of_someone_the_bot_has_seen(harness: Harness, cast: Cast) -> None:
    musa = harness.user("Musa", username="Musa_K")
    await harness.join(cast.group, musa)
    await harness.say(cast.group, musa, "Hello all")
    store = harness.app.bot_data.store

    await harness.say(cast.group, cast.owner, "/warn @musa_k please be kind")
    assert await store.moderation.warning_count(cast.group.id, musa.id) == 1
    # No username is kept in the database: only a keyed digest.
    rows = await store.db.fetch_all("SELECT digest, user_id FROM user_handles")
    assert [r["user_id"] for r in rows] == [musa.id]
    assert all("musa" not in str(r["digest"]).lower() for r in rows)
    # /mydata says a fingerprint is kept (and never the name).
    await harness.start(musa)
    await harness.private(musa, "/mydata")
    exported = json.loads(harness.emu.sent_files(musa)[-1].data or b"{}")
    assert exported["username_fingerprint"]["kept"] is True
    assert "musa_k" not in json.dumps(exported).lower()

    # A changed username replaces the old one as soon as they write again.
    harness.emu.set_username(musa, "musa_new")
    await harness.say(cast.group, musa, "new name, same me")
    await harness.say(cast.group, cast.owner, "/warn @musa_k again")
    assert "I don't know anyone called @musa_k yet" in harness.said(cast.group)[-1]
    await harness.say(cast.group, cast.owner, "/warn @Musa_New again")
    assert await store.moderation.warning_count(cast.group.id, musa.id) == 2

    await harness.say(cast.group, cast.owner, "/warn @nobody_here rude")
    assert "I don't know anyone called @nobody_here yet" in harness.said(cast.group)[-1]
    # The usage answer says how to name people, not "for example /warn 123456789".
    await harness.say(cast.group, cast.owner, "/warn")
    assert "@username" in harness.said(cast.group)[-1]
    assert "123456789" not in harness.said(cast.group)[-1]


async def test_id_as_a_reply_tells_the_admin_privately(harness: Harness, cast: Cast) -> None:
    said = await harness.say(cast.group, cast.juma, "Good morning")
    command = await harness.say(cast.group, cast.owner, "/id", reply_to=said)
    told = harness.said(cast.owner)[-1]
    assert f"has the id {cast.juma.id}" in told and "Juma" in told
    # The group sees nothing: no id posted, the command removed.
    assert not any(str(cast.juma.id) in line for line in harness.said(cast.group))
    visible = [m.message_id for m in harness.emu.messages(cast.group, include_deleted=False)]
    assert command not in visible
    # A member may not ask.
    await harness.say(cast.group, cast.juma, "/id", reply_to=said)
    assert "Only the group's administrators" in harness.said(cast.group)[-1]


async def test_unblock_from_private_with_a_group_picker(harness: Harness, cast: Cast) -> None:
    seller = harness.user("Promo", username="promo_ke")
    await harness.join(cast.group, seller)
    await harness.say(cast.group, seller, "hi")
    second = await harness.group("Second Group", owner=cast.owner)
    await harness.say(cast.group, cast.owner, "/solicitor @promo_ke")
    store = harness.app.bot_data.store
    assert await store.moderation.is_blocked(seller.id)

    await harness.private(cast.owner, "/unblock @promo_ke")
    picker = harness.last(cast.owner)
    labels = sorted(str(b.get("text")) for b in picker.buttons())
    assert labels == ["Peer Group", "Second Group"]
    await harness.tap(cast.owner, cast.owner, "Second Group")
    assert not await store.moderation.is_blocked(seller.id)
    assert "off the blocklist" in harness.said(cast.owner)[-1]
    assert "mod.unblock" in [e.action for e in await store.audit.recent(second.id)]

    # Someone who administers no group is told kindly; nothing changes.
    await harness.private(cast.juma, f"/unblock {seller.id}")
    assert "don't know a group you administer" in harness.said(cast.juma)[-1]


async def test_readmit_from_private(harness: Harness, cast: Cast) -> None:
    await harness.group("Second Group", owner=cast.owner)
    said = await harness.say(cast.group, cast.juma, "I'm done with all of you")
    await harness.say(cast.group, cast.owner, "/exclude 3d calm down", reply_to=said)
    assert harness.emu.member(cast.group, cast.juma).status == "kicked"
    assert f"/readmit {cast.juma.id}" in harness.said(cast.owner)[-1]  # the id is shown
    # Only the group Juma is excluded from is a candidate: no picker needed.
    await harness.private(cast.owner, f"/readmit {cast.juma.id}")
    assert "The exclusion is over" in harness.said(cast.owner)[-1]
    assert harness.emu.member(cast.group, cast.juma).status != "kicked"
    store = harness.app.bot_data.store
    assert await store.moderation.active_sanction(cast.group.id, cast.juma.id, "exclude") is None
    # Again: nothing to readmit, said kindly.
    await harness.private(cast.owner, f"/readmit {cast.juma.id}")
    assert "not excluded right now" in harness.said(cast.owner)[-1]


async def test_a_name_picked_from_the_mention_list_names_the_member(
    harness: Harness, cast: Cast
) -> None:
    """Neema has no @username: the admin types /mute, picks her from Telegram's list, and the
    app marks "Neema" with a text_mention carrying her account."""
    harness.emu.send(
        cast.group, cast.owner, "/mute Neema 2h please pause", mentions={"Neema": cast.neema}
    )
    await harness.settle()
    assert harness.emu.member(cast.group, cast.neema).status == "restricted"
    store = harness.app.bot_data.store
    sanction = await store.moderation.active_sanction(cast.group.id, cast.neema.id, "mute")
    assert sanction is not None and sanction.ends_at - sanction.starts_at == 2 * 3600
    assert f"/unmute {cast.neema.id}" in harness.said(cast.owner)[-1]
