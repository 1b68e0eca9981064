"""The rules feature's timed work, by scheduled-action kind (``rules.what``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.rules import approval, gate, reminders

if TYPE_CHECKING:
    from bot.context import App
    from bot.records.scheduled import ScheduledAction
    from bot.scheduler import ActionHandler


async def reminder_job(app: App, action: ScheduledAction) -> None:
    """The group's regular reminder of its rules (then the next one is put in the calendar)."""
    if action.chat_id is not None:
        await reminders.remind_group(app, action.chat_id)


async def gate_reminder_job(app: App, action: ScheduledAction) -> None:
    """A newcomer who has not agreed after a day is reminded, once."""
    if action.chat_id is not None and action.user_id is not None:
        await gate.remind_newcomer(app, action.chat_id, action.user_id)


async def welcome_job(app: App, action: ScheduledAction) -> None:
    """A newcomer's welcome that did not get through: tried again."""
    if action.chat_id is not None and action.user_id is not None:
        await gate.welcome_again(app, action.chat_id, action.user_id, action.attempts)


async def request_reminder_job(app: App, action: ScheduledAction) -> None:
    """A join request waited a day: the admins are reminded."""
    await approval.remind_admins(app, int(action.payload.get("request", 0)))


async def request_expiry_job(app: App, action: ScheduledAction) -> None:
    """A join request nobody answered is closed kindly."""
    await approval.expire(app, int(action.payload.get("request", 0)))


def jobs() -> dict[str, ActionHandler]:
    return {
        reminders.REMINDER: reminder_job,
        gate.GATE_REMINDER: gate_reminder_job,
        gate.WELCOME: welcome_job,
        approval.REQUEST_REMINDER: request_reminder_job,
        approval.REQUEST_EXPIRY: request_expiry_job,
    }
