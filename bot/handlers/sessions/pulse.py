"""Anonymous questions in private: the pulse after a session, the group's reflection, and a
member's optional self-description (only ever counted)."""

from __future__ import annotations

from telegram import Update

from bot.adapters.callbacks import Callback
from bot.adapters.keyboards import start_link
from bot.adapters.replies import edit_quietly, reply
from bot.context import Context
from bot.errors import StaleButtonError
from bot.people import group_language, language_of
from bot.records.awaiting import Awaiting
from bot.records.sessions import REFLECTION, RUN
from bot.sessions import callbacks, pulse
from bot.sessions.meetings import when

QUESTION = {RUN: "sessions.pulse_ask_safe", REFLECTION: "sessions.reflect_ask"}
PAYLOAD = {"pulse_": RUN, "reflect_": REFLECTION}


async def _ask(update: Update, context: Context, kind: str, raw: str) -> None:
    user = update.effective_user
    if user is None:
        return
    subject_id = int(raw) if raw.isdigit() and len(raw) < 18 else 0
    app = context.app
    subject = await pulse.answerable(app, user.id, kind, subject_id) if subject_id else None
    if subject is None:
        await reply(update, context, "sessions.pulse_unavailable")
        return
    data = app.bot_data
    lang = await language_of(data, user.id, user.language_code)
    markup = callbacks.pulse_choices(data, lang, subject, pulse.ANSWERS[kind])
    await reply(update, context, QUESTION[kind], reply_markup=markup)


async def pulse_link(update: Update, context: Context, payload: str) -> None:
    """``/start pulse_<run>`` from a session's closing message."""
    await _ask(update, context, RUN, payload.removeprefix("pulse_"))


async def reflect_link(update: Update, context: Context, payload: str) -> None:
    """``/start reflect_<id>`` from the group's invitation to reflect."""
    await _ask(update, context, REFLECTION, payload.removeprefix("reflect_"))


async def answer(update: Update, context: Context, pressed: Callback) -> None:
    query = update.callback_query
    if query is None or query.message is None:
        return
    pressed.count(3)
    kind, subject_id, picked = pressed.text(0), pressed.number(1), pressed.text(2)
    if picked not in pulse.ANSWERS.get(kind, ()):
        raise StaleButtonError
    app = context.app
    user = query.from_user
    subject = await pulse.answerable(app, user.id, kind, subject_id)
    if subject is None:
        raise StaleButtonError
    await pulse.first_answer(app.bot_data, user.id, subject, picked)
    await query.answer()
    data = app.bot_data
    lang = await language_of(data, user.id, user.language_code)
    await edit_quietly(
        context.app,
        query.message.chat.id,
        query.message.message_id,
        data.texts.t(lang, "sessions.pulse_ask_improve"),
        reply_markup=callbacks.pulse_skip(data, lang, subject),
    )


async def nothing_to_add(update: Update, context: Context, pressed: Callback) -> None:
    query = update.callback_query
    if query is None or query.message is None:
        return
    pressed.count(2)
    if not await pulse.finish(context.app, query.from_user.id, None):
        raise StaleButtonError
    await query.answer()
    data = context.bot_data
    user = query.from_user
    lang = await language_of(data, user.id, user.language_code)
    await edit_quietly(
        context.app,
        query.message.chat.id,
        query.message.message_id,
        data.texts.t(lang, "sessions.pulse_thanks"),
    )


async def improve_received(update: Update, context: Context, _waiting: Awaiting) -> bool | None:
    """The optional words, in the person's own words (sealed at rest)."""
    user = update.effective_user
    message = update.effective_message
    if user is None or message is None:
        return None
    if message.text is None:
        return False
    stored = await pulse.finish(context.app, user.id, message.text)
    await reply(
        update, context, "sessions.pulse_thanks" if stored else "sessions.pulse_unavailable"
    )
    return None


async def reflect_in_group(update: Update, context: Context) -> None:
    """``/session reflect``: invite the group, at most once a quarter, to say how it is doing."""
    message = update.effective_message
    if message is None:
        return
    data = context.bot_data
    chat_id = message.chat.id
    last = await pulse.reflection_due(data, chat_id)
    if last is not None:
        lang = await group_language(data, chat_id)
        await reply(
            update,
            context,
            "sessions.reflect_too_soon",
            last=await when(data, lang, chat_id, last),
        )
        return
    subject = await data.store.sessions.open_reflection(chat_id)
    lang = await group_language(data, chat_id)
    url = start_link(context.bot.username, f"reflect_{subject.id}")
    await context.bot.send_message(
        chat_id,
        data.texts.t(lang, "sessions.reflect_invite"),
        message_thread_id=message.message_thread_id if message.is_topic_message else None,
        reply_markup=callbacks.link(data, lang, "sessions.reflect_button", url),
    )


async def aboutme_command(update: Update, context: Context) -> None:
    """``/aboutme``: an optional self-description, only ever counted for the group's balance."""
    user = update.effective_user
    if user is None:
        return
    data = context.bot_data
    lang = await language_of(data, user.id, user.language_code)
    current = await data.store.sessions.self_description(user.id) or "none"
    await reply(
        update,
        context,
        "sessions.self_ask",
        current=data.texts.t(lang, f"sessions.self_{current}"),
        reply_markup=callbacks.self_choices(data, lang),
    )


async def self_chosen(update: Update, context: Context, pressed: Callback) -> None:
    query = update.callback_query
    if query is None or query.message is None:
        return
    kind = pressed.count(1).text(0)
    if kind not in callbacks.SELF_KINDS:
        raise StaleButtonError
    data = context.bot_data
    user = query.from_user
    await data.store.sessions.describe_self(user.id, None if kind == "none" else kind)
    await query.answer()
    lang = await language_of(data, user.id, user.language_code)
    await edit_quietly(
        context.app,
        query.message.chat.id,
        query.message.message_id,
        data.texts.t(
            lang, "sessions.self_saved", current=data.texts.t(lang, f"sessions.self_{kind}")
        ),
    )
