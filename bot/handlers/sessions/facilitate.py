"""The facilitator's buttons on a running session: next part, skip an optional part, more
time. Any administrator of the group may facilitate; a member's press is answered kindly."""

from __future__ import annotations

from contextlib import suppress

from telegram import Update
from telegram.error import BadRequest

from bot.adapters.callbacks import Callback
from bot.adapters.keyboards import start_link
from bot.adapters.replies import answer_alert
from bot.context import Context
from bot.errors import AdminsOnlyError, StaleButtonError
from bot.people import group_language
from bot.sessions import callbacks, meetings


async def _facilitator_press(
    update: Update, context: Context, pressed: Callback
) -> tuple[int, int, int]:
    query = update.callback_query
    if query is None or query.message is None:
        raise StaleButtonError
    pressed.count(3)
    chat_id = query.message.chat.id
    if not await context.bot_data.admins.is_admin(context.bot, chat_id, query.from_user.id):
        raise AdminsOnlyError("sessions.facilitators_only")
    return pressed.number(0), pressed.number(1), pressed.number(2)


async def _move(update: Update, context: Context, pressed: Callback, *, skip: bool) -> None:
    run_id, step, skips = await _facilitator_press(update, context, pressed)
    query = update.callback_query
    app = context.app
    moved = await meetings.step(app, run_id, step, skips, skip_next=skip)
    if moved is None or query is None or query.message is None:
        raise StaleButtonError
    await query.answer()
    # After a skip the part goes on (its controls now offer what follows); after Next, the
    # old part's controls go (already gone is fine: nothing depends on them).
    markup = await meetings.controls_for(app.bot_data, moved) if skip else None
    with suppress(BadRequest):
        await context.bot.edit_message_reply_markup(
            query.message.chat.id, query.message.message_id, reply_markup=markup
        )
    if not moved.open:
        session = await app.bot_data.store.sessions.get(moved.session_id)
        await _closed(context, moved.chat_id, moved.id, session.thread_id if session else None)


async def _closed(context: Context, chat_id: int, run_id: int, thread_id: int | None) -> None:
    """The session has ended: thank the group, and invite (never require) the pulse."""
    data = context.bot_data
    lang = await group_language(data, chat_id)
    url = start_link(context.bot.username, f"pulse_{run_id}")
    await context.bot.send_message(
        chat_id,
        data.texts.t(lang, "sessions.closed"),
        message_thread_id=thread_id,
        reply_markup=callbacks.link(data, lang, "sessions.pulse_button", url),
    )


async def next_part(update: Update, context: Context, pressed: Callback) -> None:
    await _move(update, context, pressed, skip=False)


async def skip_part(update: Update, context: Context, pressed: Callback) -> None:
    await _move(update, context, pressed, skip=True)


async def more_time(update: Update, context: Context, pressed: Callback) -> None:
    """No timers anywhere: "more time" only reassures the facilitator, privately."""
    await _facilitator_press(update, context, pressed)
    await answer_alert(update, context, "sessions.more_time")
