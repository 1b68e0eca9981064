"""Moderation's timed work: the scheduled actions of an exclusion (planned by
``support.plan``) and what runs when each falls due. Each is a row in ``scheduled_actions``, so
it survives a restart and one missed while the bot was down is done at start-up."""

from __future__ import annotations

from bot.context import App
from bot.moderation import support, tidy
from bot.records.scheduled import ScheduledAction
from bot.scheduler import ActionHandler


async def exclusion_end_job(app: App, action: ScheduledAction) -> None:
    """The time is up: lift the ban, send a single-use link and a welcome back."""
    sanction = await support.active_sanction(app, action.payload.get("sanction"))
    if sanction is not None:
        await support.readmit(app, sanction, None)


async def checkin_job(app: App, action: ScheduledAction) -> None:
    """A private, gentle check-in while the member is out (none once the time is up: the
    welcome back comes instead, e.g. when both fell due while the bot was down)."""
    sanction = await support.active_sanction(app, action.payload.get("sanction"))
    if sanction is not None and sanction.ends_at > app.bot_data.clock.epoch():
        await support.check_in(app, sanction)


async def admin_reminder_job(app: App, action: ScheduledAction) -> None:
    """A day before the end: remind the member's named admin that a check-in can help (not
    once the time is up)."""
    sanction = await support.active_sanction(app, action.payload.get("sanction"))
    if sanction is not None and sanction.ends_at > app.bot_data.clock.epoch():
        await support.remind_admin(app, sanction)


JOBS: dict[str, ActionHandler] = {
    support.KIND_END: exclusion_end_job,
    support.KIND_CHECKIN: checkin_job,
    support.KIND_REMINDER: admin_reminder_job,
    tidy.KIND_TIDY: tidy.tidy_job,
}
# A series: after downtime, one check-in, not one per missed day.
LATEST_ONLY = frozenset({support.KIND_CHECKIN})
