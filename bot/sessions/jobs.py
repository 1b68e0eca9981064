"""The sessions feature's timed work: a meeting's time, a member's reminder, a poll closing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.sessions import meetings, polls, reminders

if TYPE_CHECKING:
    from bot.scheduler import ActionHandler


def jobs() -> dict[str, ActionHandler]:
    return {
        meetings.OPEN: meetings.open_job,
        meetings.REMIND: reminders.remind_job,
        polls.CLOSE: polls.close_job,
    }
