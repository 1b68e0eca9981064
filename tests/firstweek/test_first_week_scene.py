"""The "first week" scene: a group that existed before the bot, whose administrators start the
bot late. It plays through the real bot and shows that nothing was lost."""

from __future__ import annotations

from bot.demo.scenes import first_week
from tests.support import Harness


async def test_the_first_week_scene_loses_nothing(harness: Harness) -> None:
    mark = harness.emu.transcript_mark()
    await first_week.play(harness)
    seen = harness.emu.transcript(since=mark)
    store = harness.app.bot_data.store
    db = store.db

    # Everything kept for the team was delivered; nothing is still waiting, nothing dropped.
    rows = await db.fetch_all("SELECT status, item FROM held_notices ORDER BY id")
    assert [tuple(r) for r in rows] == [
        ("delivered", "report"),  # the solicitation flag (a report of kind "flag")
        ("delivered", "report"),  # Musa's /report
        ("delivered", "join_request"),
    ]
    for line in (
        "I cannot reach any of you privately yet",
        "your report is kept safely",
        "I am keeping it",
        "I can now write to you privately about Kisumu Peer Circle",
        "Kept for you since",
        "Your request has now reached an administrator",
        "✅ Done: out of the group for 3 days.",
        "They will get it the moment they do",
        "received the support message for Kisumu Peer Circle",
        "about a measure Kamau took",
        "decided by Achieng: measure lifted",
    ):
        assert line in seen, line

    # Each kept item was acted on from its late copy.
    flag, report = await db.fetch_all("SELECT kind, status, outcome FROM mod_reports ORDER BY id")
    assert tuple(flag) == ("flag", "handled", "solicitor")
    assert tuple(report) == ("report", "handled", "ok")
    [join] = await db.fetch_all("SELECT status, how FROM rules_join_requests")
    assert tuple(join) == ("approved", "admin")
    [talk] = await db.fetch_all("SELECT kind, status, closed_reason FROM talk_conversations")
    assert tuple(talk)[:2] == ("admin", "closed")
    [sanction] = await db.fetch_all("SELECT kind, status, reached FROM mod_sanctions")
    assert tuple(sanction) == ("exclude", "lifted", 1)
    # The group never saw a member named in a confirmation, and the confirmation is gone.
    [group] = await store.groups.active()
    group_lines = [m.text or "" for m in harness.emu.bot_messages(group.chat_id)]
    assert not any("Done" in line for line in group_lines)
    assert not any(name in line for line in group_lines for name in ("Halima", "Coach Pat"))
