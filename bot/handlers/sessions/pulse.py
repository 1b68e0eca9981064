"""The pulse after a session, in private: two optional questions, answered anonymously."""

from __future__ import annotations

from telegram import Update

from bot.adapters.callbacks import Callback
from bot.adapters.replies import edit_quietly, reply
from bot.context import Context
from bot.errors import StaleButtonError
from bot.people import language_of
from bot.records.awaiting import Awaiting
from bot.sessions import callbacks, pulse


async def pulse_link(update: Update, context: Context, payload: str) -> None:
    """``/start pulse_<run>`` from the closing message."""
    user = update.effective_user
    if user is None:
        return
    raw = payload.removeprefix("pulse_")
    run_id = int(raw) if raw.isdigit() and len(raw) < 18 else 0
    app = context.app
    run = await pulse.answerable(app, user.id, run_id) if run_id else None
    if run is None:
        await reply(update, context, "sessions.pulse_unavailable")
        return
    data = app.bot_data
    lang = await language_of(data, user.id, user.language_code)
    await reply(
        update,
        context,
        "sessions.pulse_ask_safe",
        reply_markup=callbacks.pulse_choices(data, lang, run.id),
    )


async def safe_answer(update: Update, context: Context, pressed: Callback) -> None:
    query = update.callback_query
    if query is None or query.message is None:
        return
    pressed.count(2)
    run_id, answer = pressed.number(0), pressed.text(1)
    if answer not in callbacks.SAFE_ANSWERS:
        raise StaleButtonError
    app = context.app
    user = query.from_user
    run = await pulse.answerable(app, user.id, run_id)
    if run is None:
        raise StaleButtonError
    await pulse.first_answer(app.bot_data, user.id, run, answer)
    await query.answer()
    data = app.bot_data
    lang = await language_of(data, user.id, user.language_code)
    await edit_quietly(
        context.bot,
        query.message.chat.id,
        query.message.message_id,
        data.texts.t(lang, "sessions.pulse_ask_improve"),
        reply_markup=callbacks.pulse_skip(data, lang, run.id),
    )


async def _thank(update: Update, context: Context, stored: bool) -> None:
    await reply(
        update, context, "sessions.pulse_thanks" if stored else "sessions.pulse_unavailable"
    )


async def nothing_to_add(update: Update, context: Context, pressed: Callback) -> None:
    query = update.callback_query
    if query is None or query.message is None:
        return
    pressed.count(1)
    stored = await pulse.finish(context.app, query.from_user.id, None)
    if not stored:
        raise StaleButtonError
    await query.answer()
    data = context.bot_data
    user = query.from_user
    lang = await language_of(data, user.id, user.language_code)
    await edit_quietly(
        context.bot,
        query.message.chat.id,
        query.message.message_id,
        data.texts.t(lang, "sessions.pulse_thanks"),
    )


async def improve_received(update: Update, context: Context, _waiting: Awaiting) -> bool | None:
    """The optional second answer, in the person's own words (sealed at rest)."""
    user = update.effective_user
    message = update.effective_message
    if user is None or message is None:
        return None
    if message.text is None:
        return False
    stored = await pulse.finish(context.app, user.id, message.text)
    await _thank(update, context, stored)
    return None
