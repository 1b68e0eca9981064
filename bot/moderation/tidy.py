"""A measure's public confirmation is short, names nobody, and is gone after about a minute.

The removal is a scheduled action (a row in ``scheduled_actions``), so a restart in between
does not leave the confirmation in the group for good.
"""

from __future__ import annotations

from bot.adapters.replies import delete_quietly
from bot.context import App
from bot.moderation.callbacks import FEATURE
from bot.records.outbox import Outgoing
from bot.records.scheduled import ScheduledAction

KIND_TIDY = f"{FEATURE}.tidy"
TIDY_AFTER = 60


BRIEF = "brief"
"""The outbox kind of a short confirmation in the group (removed after about a minute)."""


async def brief_delivered(app: App, message: Outgoing, telegram_id: int) -> None:
    """A short confirmation arrived in the group: it goes again in about a minute."""
    await remove_later(app, message.chat_id, telegram_id)


async def remove_later(app: App, chat_id: int, message_id: int) -> None:
    """Remove the bot's message from the group in about a minute."""
    data = app.bot_data
    await data.scheduler.schedule(
        app,
        KIND_TIDY,
        data.clock.epoch() + TIDY_AFTER,
        chat_id=chat_id,
        payload={"message": message_id},
        dedupe_key=f"{KIND_TIDY}:{chat_id}:{message_id}",
    )


async def tidy_job(app: App, action: ScheduledAction) -> None:
    message_id = action.payload.get("message")
    if action.chat_id is not None and isinstance(message_id, int):
        await delete_quietly(app, action.chat_id, message_id)
