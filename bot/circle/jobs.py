"""My circle's timed work, each a scheduled action that survives restarts:

* ``circle.outbox`` — a retry written by the outbox's first version (``bot/delivery/outbox.py``
  now delivers it);
* ``circle.concern_due`` — the member's time to answer a concern is over;
* ``circle.advance_ends`` — an advance decision reached its end date;
* ``circle.note_gone`` — the short-lived note to an anonymous administrator disappears.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.adapters.replies import delete_quietly
from bot.circle import concern, consent
from bot.delivery import outbox
from bot.people import language_of
from bot.records.scheduled import ScheduledAction
from bot.scheduler import ActionHandler

if TYPE_CHECKING:
    from bot.context import App


async def concern_due_job(app: App, action: ScheduledAction) -> None:
    """The member did not answer in time: no answer means no — unless decided in advance."""
    await concern.answer_due(app, int(action.payload["escalation"]))


async def advance_ends_job(app: App, action: ScheduledAction) -> None:
    """An advance decision reached its end date: record it as expired and tell the member."""
    member_id = action.user_id
    if member_id is None:
        return
    if await consent.expire_lapsed(app, member_id) == 0:
        return
    data = app.bot_data
    lang = await language_of(data, member_id)
    await outbox.send_critical(
        app, member_id, data.texts.t(lang, "circle.advance_ended"), kind="notice"
    )


async def note_gone_job(app: App, action: ScheduledAction) -> None:
    """The neutral note to an anonymous administrator disappears."""
    if action.chat_id is not None:
        await delete_quietly(app, action.chat_id, int(action.payload["message"]))


JOBS: dict[str, ActionHandler] = {
    concern.NOTE_GONE: note_gone_job,
    outbox.LEGACY_KIND: outbox.legacy_job,
    concern.CONCERN_DUE: concern_due_job,
    consent.ADVANCE_ENDS: advance_ends_job,
}
