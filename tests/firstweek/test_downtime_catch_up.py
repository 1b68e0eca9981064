"""Issue 11 item 7: timed work after downtime catches up sensibly.

The bot is stopped, time passes, a new Application starts on the same database (as after a
crash): of the check-ins that fell due meanwhile, one is sent, not a pile; an exclusion whose
end fell due is ended once (no check-in, no admin reminder after the end); the rules reminder
that fell due is sent once."""

from __future__ import annotations

from tests.moderation.e2e.conftest import Cast
from tests.support import Harness

DAY = 86400


def checkins(harness: Harness, cast: Cast) -> list[str]:
    return [t for t in harness.said(cast.juma) if "just checking in" in t]


async def test_one_check_in_after_days_of_downtime_not_a_pile(
    harness: Harness, cast: Cast
) -> None:
    await harness.say(cast.group, cast.owner, f"/exclude {cast.juma.id} 10d")
    assert checkins(harness, cast) == []
    await harness.restart(downtime=4 * DAY + 60)  # four daily check-ins fell due
    assert len(checkins(harness, cast)) == 1
    store = harness.app.bot_data.store
    pending = await store.scheduled.pending("moderation.checkin")
    assert pending and min(a.due_at for a in pending) > harness.clock.epoch()
    # Another restart sends nothing more; the next day's check-in comes on time, once.
    await harness.restart()
    assert len(checkins(harness, cast)) == 1
    await harness.advance(DAY)
    assert len(checkins(harness, cast)) == 2


async def test_an_exclusion_that_ended_during_downtime_ends_once_without_check_ins(
    harness: Harness, cast: Cast
) -> None:
    await harness.say(
        cast.group, cast.owner, f"/exclude {cast.juma.id} 5d contact={cast.admin.id}"
    )
    admin_before = len(harness.said(cast.admin))
    await harness.restart(downtime=6 * DAY)
    said = harness.said(cast.juma)
    assert checkins(harness, cast) == []
    assert len([t for t in said if "Welcome back" in t]) == 1
    # The named admin's "a day before the end" reminder is not sent after the end.
    assert not any("Reminder: the break" in t for t in harness.said(cast.admin)[admin_before:])
    assert harness.emu.member(cast.group, cast.juma).status != "kicked"
    assert await harness.app.bot_data.store.scheduled.pending("moderation.checkin") == []
    await harness.restart(downtime=DAY)
    assert len([t for t in harness.said(cast.juma) if "Welcome back" in t]) == 1


async def test_the_rules_reminder_and_check_in_of_weeks_down_arrive_once(
    harness: Harness, cast: Cast
) -> None:
    await harness.say(cast.group, cast.owner, f"/exclude {cast.juma.id} 30d")

    def reminders() -> int:
        return sum(
            "regular reminder" in (m.text or "") for m in harness.emu.bot_messages(cast.group)
        )

    assert reminders() == 0
    await harness.restart(downtime=3 * 7 * DAY)
    assert reminders() == 1
    assert len(checkins(harness, cast)) == 1
