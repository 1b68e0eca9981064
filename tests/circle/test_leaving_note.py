"""Issue 11 item 8: a member who leaves a group gets one kind private note — keep my circle,
or erase my data — and nobody else gets one (removed members, people who never started the
bot)."""

from __future__ import annotations

from tests.circle.conftest import add_person, world
from tests.support import Harness


async def test_leaving_brings_one_kind_note_keep_or_erase(harness: Harness) -> None:
    w = await world(harness)
    await add_person(harness, w.member, "Wanjiru", "0712345678")
    before = len(harness.said(w.member))
    await harness.leave(w.group, w.member)
    notes = harness.said(w.member)[before:]
    assert len(notes) == 1 and "You have left Pamoja Nairobi" in notes[0]
    labels = [str(b.get("text")) for b in harness.last(w.member).buttons()]
    assert labels == ["Keep my circle", "Erase my data"]
    # Keep: nothing changes.
    await harness.tap(w.member, w.member, "Keep my circle")
    assert "Your circle stays locked" in harness.said(w.member)[-1]
    store = harness.app.bot_data.store
    assert len(await store.circle.persons(w.member.id)) == 1

    # Leaving again later: erase asks /forgetme's question first, then erases.
    await harness.join(w.group, w.member)
    await harness.leave(w.group, w.member)
    await harness.tap(w.member, w.member, "Erase my data")
    assert "This cannot be undone" in harness.said(w.member)[-1]
    await harness.tap(w.member, w.member, "Erase everything")
    assert await store.circle.persons(w.member.id) == []


async def test_no_note_when_removed_or_never_started(harness: Harness) -> None:
    w = await world(harness)
    quiet = harness.user("Quiet")  # never started the bot
    await harness.join(w.group, quiet)
    await harness.leave(w.group, quiet)
    assert harness.said(quiet) == []
    said = await harness.say(w.group, w.other, "I'm done with all of you")
    before = len(harness.said(w.other))
    await harness.say(w.group, w.admin, "/exclude 1d a pause", reply_to=said)
    assert not any("You have left" in line for line in harness.said(w.other)[before:])
