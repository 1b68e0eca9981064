"""The group's regular reminder of its rules: one pending reminder per group, in the calendar.

The next reminder is always computed from now, so one missed while the bot was down is sent
once, not once per missed week.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from telegram.error import BadRequest, Forbidden

from bot.adapters.keyboards import keyboard, link_button
from bot.delivery import outbox
from bot.rules.callbacks import FEATURE
from bot.rules.schedule import next_reminder

if TYPE_CHECKING:
    from bot.context import App

log = logging.getLogger(__name__)

REMINDER = f"{FEATURE}.reminder"


async def _arm_next(app: App, chat_id: int) -> None:
    """Put the group's next reminder (from now) in the calendar, if reminders are on."""
    data = app.bot_data
    group = await data.store.groups.get(chat_id)
    if group is None:
        return
    settings = await data.store.rules.settings(chat_id)
    due = next_reminder(data.clock.epoch(), settings.schedule, group.timezone)
    if due is not None:
        await data.scheduler.schedule(
            app, REMINDER, due, chat_id=chat_id, dedupe_key=f"{REMINDER}:{chat_id}:{due}"
        )


async def _pending(app: App, chat_id: int) -> list[int]:
    """When the group's pending reminders are due."""
    pending = await app.bot_data.store.scheduled.pending(REMINDER)
    return [action.due_at for action in pending if action.chat_id == chat_id]


async def ensure(app: App, chat_id: int) -> None:
    """Make sure an active group with reminders on has its next reminder in the database.

    A reminder already pending (even an overdue one, missed while the bot was down) is left
    alone, so it is sent once.
    """
    data = app.bot_data
    group = await data.store.groups.get(chat_id)
    if group is None or not group.active:
        return
    settings = await data.store.rules.settings(chat_id)
    if not settings.schedule.enabled or await _pending(app, chat_id):
        return
    await _arm_next(app, chat_id)


async def reschedule(app: App, chat_id: int) -> int | None:
    """After the schedule or time zone changed: drop the pending reminder, arm the new one."""
    await app.bot_data.scheduler.cancel(app, REMINDER, chat_id=chat_id, user_id=None)
    await ensure(app, chat_id)
    due = await _pending(app, chat_id)
    return due[0] if due else None


async def remind_group(app: App, chat_id: int) -> None:
    """Send the group's regular reminder of its rules; then put the next one in the calendar."""
    data = app.bot_data
    group = await data.store.groups.get(chat_id)
    if group is None or not group.active:
        return
    settings = await data.store.rules.settings(chat_id)
    if not settings.schedule.enabled:
        return
    lang = group.language
    # Short, pointing to the pinned rules (or the button to read them all).
    key = "rules.scheduled_pinned" if group.rules_pinned_id else "rules.scheduled_short"
    label = data.texts.raw(lang, "rules.button_read_all")
    link = f"https://t.me/{app.bot.username}?start=rules_{chat_id}"
    try:
        await outbox.send_critical(
            app,
            chat_id,
            data.texts.t(lang, key),
            kind="reminder",
            reply_markup=keyboard([link_button(label, link)]),
        )
    except Forbidden:
        log.info("rules reminder: the bot can no longer write in %s", chat_id)
        return
    except BadRequest as error:
        log.warning("rules reminder in %s refused (%s)", chat_id, error.message)
    await _arm_next(app, chat_id)
