"""Issue 11 item 4: /solicitor removes the person at once from every group of the deployment
where they are present (even one the bot never saw them in), and each group's admins are told;
edited messages and captions are screened for solicitation like new ones, and an edit never
runs a command again."""

from __future__ import annotations

from tests.moderation.e2e.conftest import Cast
from tests.support import Harness

AD = "Private counselling sessions, only KSh 1500. Book here: calendly.com/coachben"


async def test_solicitor_is_removed_from_every_group_they_are_in(
    harness: Harness, cast: Cast
) -> None:
    seller = harness.user("Coach Ben")
    zawadi = harness.user("Zawadi")
    # Two other groups of the deployment that had the seller before the bot came: the bot has
    # never seen them there. A fourth group does not have them at all.
    second = await harness.group("Second Group", owner=zawadi, members=[seller])
    third = await harness.group("Third Group", owner=cast.admin, members=[seller])
    fourth = await harness.group("Fourth Group", owner=zawadi)
    await harness.start(zawadi)
    await harness.join(cast.group, seller)
    ad = await harness.say(cast.group, seller, AD)
    mark = len(harness.emu.calls)

    await harness.say(cast.group, cast.owner, "/solicitor adverts", reply_to=ad)

    for group in (cast.group, second, third):
        assert harness.emu.member(group, seller).status == "kicked", group.title
    assert harness.emu.member(fourth, seller).status != "kicked"
    # Each group's admins are told, with the id they would need to reverse it.
    told = harness.said(zawadi)[-1]
    assert "Second Group" in told and "Peer Group" in told and f"/unblock {seller.id}" in told
    assert any("Third Group" in line for line in harness.said(cast.admin))
    # The origin's admins see the id too (no "use their user id" without showing it).
    assert f"/unblock {seller.id}" in harness.said(cast.owner)[-1]
    store = harness.app.bot_data.store
    assert "mod.solicitor" in [e.action for e in await store.audit.recent(second.id)]
    # Nothing the bot asked Telegram was refused (the advert was not deleted twice).
    refused = [c for c in harness.emu.calls[mark:] if not c.ok]
    assert refused == [], [(c.method, c.description) for c in refused]


async def test_an_advert_added_by_editing_is_flagged(harness: Harness, cast: Cast) -> None:
    said = await harness.say(cast.group, cast.neema, "Hello everyone, glad to be here")
    before = list(harness.said(cast.owner))
    harness.emu.edit(cast.group, cast.neema, said, AD)
    await harness.settle()
    flagged = harness.said(cast.owner)[len(before) :]
    assert flagged and any(
        "Exclude as solicitor" in b.get("text", "") for b in harness.last(cast.owner).buttons()
    )


async def test_an_edited_caption_is_flagged(harness: Harness, cast: Cast) -> None:
    photo = harness.emu.send_photo(cast.group, cast.juma, caption="Our walk on Sunday")
    await harness.settle()
    before = len(harness.said(cast.owner))
    harness.emu.edit(cast.group, cast.juma, photo, AD)
    await harness.settle()
    assert len(harness.said(cast.owner)) > before
    assert any(
        "Exclude as solicitor" in b.get("text", "") for b in harness.last(cast.owner).buttons()
    )


async def test_an_edit_never_runs_a_command_again(harness: Harness, cast: Cast) -> None:
    said = await harness.say(cast.group, cast.owner, "Good morning all")
    harness.emu.edit(cast.group, cast.owner, said, "/settings gate off")
    await harness.settle()
    group = await harness.app.bot_data.store.groups.get(cast.group.id)
    assert group is not None and group.rules_gate
