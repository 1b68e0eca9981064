"""/session (admins, in the group) and members' reminders (/reminders, the announcement's
"Remind me" link): read the update, check who may act, call ``bot.sessions``, answer."""

from __future__ import annotations

from telegram import Update

from bot.adapters.callbacks import Callback
from bot.adapters.guards import group_admin
from bot.adapters.keyboards import button, keyboard
from bot.adapters.replies import edit_quietly, reply
from bot.context import Context
from bot.errors import StaleButtonError
from bot.handlers.sessions.pulse import reflect_in_group
from bot.people import language_of
from bot.sessions import FEATURE, callbacks, meetings, reminders, template

ADD = ("add", "ongeza")
START = ("start", "anza")
CANCEL = ("cancel", "futa")
PLACE = ("place", "mahali")
TEXT = ("text", "maneno")
REFLECT = ("reflect", "tafakari")
CLEAR = "-"
MAX_PLACE = 200
MAX_PART_TEXT = 1500


def _number(words: list[str]) -> int | None:
    try:
        value = int(words[0])
    except (IndexError, ValueError):
        return None
    return value if 0 < value < 2**62 else None


async def session_command(update: Update, context: Context) -> None:
    """``/session`` lists the group's sessions; ``add``, ``start``, ``cancel``, ``place`` and
    ``text`` change them (see the help text ``sessions.usage``)."""
    actor = await group_admin(update, context)
    message = update.effective_message
    if actor is None or message is None:
        return
    app = context.app
    data = app.bot_data
    chat_id = message.chat.id
    words = list(context.args or [])
    verb = words[0].lower() if words else ""
    rest = words[1:]
    if verb in ADD:
        thread = message.message_thread_id if message.is_topic_message else None
        session = await meetings.create(app, chat_id, rest, thread)
        if session is None:
            await reply(update, context, "sessions.usage")
            return
        await meetings.announce(app, session)
        return
    if verb in START + CANCEL + PLACE:
        session_id = _number(rest)
        session = await data.store.sessions.get(session_id) if session_id else None
        if session is None or session.chat_id != chat_id or not session.active:
            await reply(update, context, "sessions.unknown")
            return
        if verb in START:
            opened = await meetings.open_meeting(app, session, data.clock.epoch())
            if opened is None:
                await reply(update, context, "sessions.already_open")
        elif verb in CANCEL:
            await meetings.cancel(app, session)
            await reply(update, context, "sessions.cancelled", title=session.title)
        else:
            place = " ".join(rest[1:]).strip()[:MAX_PLACE]
            await data.store.sessions.set_place(
                session.id, None if place in ("", CLEAR) else place
            )
            await reply(update, context, "sessions.place_saved", title=session.title)
        return
    if verb in TEXT:
        await _set_text(update, context, chat_id, rest)
        return
    if verb in REFLECT:
        await reflect_in_group(update, context)
        return
    if verb:
        await reply(update, context, "sessions.usage")
        return
    await _list(update, context, chat_id)


async def _list(update: Update, context: Context, chat_id: int) -> None:
    data = context.bot_data
    user = update.effective_user
    lang = await language_of(data, user.id, user.language_code) if user else "en"
    sessions = await data.store.sessions.of_group(chat_id)
    if not sessions:
        await reply(update, context, "sessions.none_yet")
        return
    lines = [await meetings.summary(data, lang, session) for session in sessions]
    await reply(update, context, "sessions.list", sessions="\n\n".join(lines))


async def _set_text(update: Update, context: Context, chat_id: int, words: list[str]) -> None:
    """``/session text <part> <words>`` replaces a part's words for this group; ``-`` restores
    the default."""
    if not words or words[0].lower() not in template.PARTS:
        await reply(update, context, "sessions.text_usage", parts=", ".join(template.PARTS))
        return
    body = " ".join(words[1:]).strip()[:MAX_PART_TEXT]
    await context.bot_data.store.sessions.set_text(
        chat_id, words[0].lower(), None if body in ("", CLEAR) else body
    )
    await reply(update, context, "sessions.text_saved")


async def session_in_private(update: Update, context: Context) -> None:
    await reply(update, context, "sessions.private_hint")


# -- members' reminders ---------------------------------------------------------------------


async def reminders_command(update: Update, context: Context) -> None:
    """Every session of the person's groups, each with a button to choose its reminders."""
    user = update.effective_user
    if user is None:
        return
    app = context.app
    data = app.bot_data
    lang = await language_of(data, user.id, user.language_code)
    sessions = await reminders.sessions_for(app, user.id)
    if not sessions:
        await reply(update, context, "sessions.reminders_none")
        return
    rows = []
    lines = []
    for session in sessions:
        chosen = await data.store.sessions.reminders_of(session.id, user.id)
        lines.append(
            data.texts.t(
                lang,
                "sessions.reminders_line",
                summary=await meetings.summary(data, lang, session),
                choice=data.texts.t(lang, f"sessions.chosen_{reminders.choice_name(chosen)}"),
            )
        )
        label = data.texts.t(lang, "sessions.choose_for", title=session.title)
        rows.append([button(label, FEATURE, callbacks.REMIND, session.id, callbacks.ASK)])
    await reply(
        update,
        context,
        "sessions.reminders_list",
        sessions="\n\n".join(lines),
        reply_markup=keyboard(*rows),
    )


async def remind_link(update: Update, context: Context, payload: str) -> None:
    """``/start remind_<session>`` from the announcement: the session, and the choices."""
    user = update.effective_user
    if user is None:
        return
    session_id = _number([payload.removeprefix("remind_")])
    app = context.app
    session = await reminders.visible_session(app, user.id, session_id) if session_id else None
    if session is None:
        await reply(update, context, "sessions.unknown_private")
        return
    await _show_choices(update, context, session.id)


async def _show_choices(update: Update, context: Context, session_id: int) -> None:
    user = update.effective_user
    if user is None:
        return
    data = context.bot_data
    session = await data.store.sessions.get(session_id)
    if session is None:
        return
    lang = await language_of(data, user.id, user.language_code)
    await reply(
        update,
        context,
        "sessions.remind_ask",
        summary=await meetings.summary(data, lang, session),
        reply_markup=callbacks.reminder_choices(data, lang, session.id),
    )


async def remind_choice(update: Update, context: Context, pressed: Callback) -> None:
    query = update.callback_query
    if query is None or query.message is None:
        return
    pressed.count(2)
    session_id, choice = pressed.number(0), pressed.text(1)
    if choice not in (*callbacks.CHOICES, callbacks.ASK):
        raise StaleButtonError
    app = context.app
    user = query.from_user
    session = await reminders.visible_session(app, user.id, session_id)
    if session is None:
        raise StaleButtonError
    await query.answer()
    if choice == callbacks.ASK:
        await _show_choices(update, context, session.id)
        return
    await reminders.choose(app, user.id, session, choice)
    data = app.bot_data
    lang = await language_of(data, user.id, user.language_code)
    text = data.texts.t(lang, f"sessions.remind_saved_{choice}", title=session.title)
    await edit_quietly(context.app, query.message.chat.id, query.message.message_id, text)
