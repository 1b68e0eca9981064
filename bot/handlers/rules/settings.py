"""``/settings`` on the Telegram side: in a group a short answer with a button into the private
chat (or a typed change); in the private chat the group picker and the tap-to-set menu, the
menu's buttons, and the typed values it asks for (a time zone, one of the group's own lines)."""

from __future__ import annotations

from telegram import Update

from bot.adapters.callbacks import Callback
from bot.adapters.guards import group_admin, is_group
from bot.adapters.keyboards import plain_keyboard, point_to_private
from bot.adapters.replies import edit_quietly, reply
from bot.context import Context
from bot.errors import RefusedError
from bot.handlers.rules.reading import payload_id
from bot.i18n import Safe
from bot.people import language_for
from bot.records.awaiting import Awaiting
from bot.rules import editing, reading, settings
from bot.rules.settings import Screen


async def settings_command(update: Update, context: Context) -> None:
    """/settings: in a group, a button into the private chat (or a typed change); in private,
    the menu of the group the person administers (a picker when there are several)."""
    chat = update.effective_chat
    if chat is None:
        return
    words = [arg for arg in (context.args or []) if arg]
    if not is_group(chat):
        await _private(update, context, words)
        return
    actor = await group_admin(update, context)
    if actor is None:
        return
    data = context.bot_data
    await settings.known_group(data, chat.id)
    if not words:
        await point_to_private(update, context, "settings.in_private", f"settings_{chat.id}")
        return
    try:
        change = await settings.typed(context.app, chat.id, actor.audit_id, words)
    except RefusedError as refusal:
        await point_to_private(update, context, refusal.key, f"settings_{chat.id}")
        return
    lang = await language_for(data, update)
    await reply(
        update,
        context,
        "settings.saved_typed",
        what=settings.describe(data, lang, change),
        then=settings.still_to_do(data, lang, change),
    )


async def _private(update: Update, context: Context, words: list[str]) -> None:
    user = update.effective_user
    if user is None:
        return
    chat_ids = await editing.admin_groups(context.app, user.id)
    if not chat_ids:
        await reply(update, context, "settings.no_groups")
        return
    if len(chat_ids) > 1:
        lang = await language_for(context.bot_data, update)
        named = await reading.titles(context.bot_data, chat_ids)
        await _send(update, context, settings.picker(context.bot_data, lang, named))
        return
    chat_id = chat_ids[0]
    note: Safe | None = None
    if words:
        lang = await language_for(context.bot_data, update)
        try:
            change = await settings.typed(context.app, chat_id, user.id, words)
            note = settings.confirmation(context.bot_data, lang, change)
        except RefusedError as refusal:
            note = context.bot_data.texts.t(lang, refusal.key)
    await _menu(update, context, chat_id, note=note)


async def settings_link(update: Update, context: Context, payload: str) -> None:
    """``/start settings_<chat_id>``: the menu of that group."""
    user = update.effective_user
    chat_id = payload_id(payload)
    if user is None:
        return
    if chat_id is None:
        await _private(update, context, [])
        return
    await settings.admin_of(context.app, chat_id, user.id)
    await _menu(update, context, chat_id)


async def _menu(
    update: Update, context: Context, chat_id: int, *, note: Safe | None = None
) -> None:
    lang = await language_for(context.bot_data, update)
    await _send(update, context, await settings.screen(context.app, chat_id, lang, note=note))


async def _send(update: Update, context: Context, screen: Screen) -> None:
    chat = update.effective_chat
    if chat is not None:
        await context.bot.send_message(
            chat.id, screen.text, reply_markup=plain_keyboard(screen.rows) if screen.rows else None
        )


async def _show(update: Update, context: Context, screen: Screen) -> None:
    """The pressed menu becomes the new page (edited in place: nothing new is posted)."""
    query = update.callback_query
    if query is None or query.message is None:
        return
    await query.answer()
    await edit_quietly(
        context.app,
        query.message.chat.id,
        query.message.message_id,
        screen.text,
        reply_markup=plain_keyboard(screen.rows) if screen.rows else None,
    )


async def _pressed(update: Update, context: Context, chat_id: int) -> tuple[int, str]:
    """The presser (an administrator of the group, else refused) and their language."""
    user = update.effective_user
    if user is None:
        raise RefusedError("settings.cancelled")
    await settings.admin_of(context.app, chat_id, user.id)
    return user.id, await language_for(context.bot_data, update)


async def page(update: Update, context: Context, pressed: Callback) -> None:
    chat_id = pressed.count(2).number(0)
    _, lang = await _pressed(update, context, chat_id)
    screen = await settings.screen(context.app, chat_id, lang, pressed.text(1))
    await _show(update, context, screen)


async def open_group(update: Update, context: Context, pressed: Callback) -> None:
    chat_id = pressed.count(1).number(0)
    _, lang = await _pressed(update, context, chat_id)
    await _show(update, context, await settings.screen(context.app, chat_id, lang))


async def flip(update: Update, context: Context, pressed: Callback) -> None:
    chat_id = pressed.count(2).number(0)
    user_id, lang = await _pressed(update, context, chat_id)
    option = pressed.text(1)
    change = await settings.flip(context.app, chat_id, user_id, option)
    back = "reminders" if option == "reminders" else "main"
    await _confirm(update, context, chat_id, lang, change, back)


async def pick(update: Update, context: Context, pressed: Callback) -> None:
    chat_id = pressed.count(3).number(0)
    user_id, lang = await _pressed(update, context, chat_id)
    what = pressed.text(1)
    change = await settings.set_value(context.app, chat_id, user_id, what, pressed.text(2))
    back = "reminders" if what in ("day", "time") else "main"
    await _confirm(update, context, chat_id, lang, change, back)


async def drop(update: Update, context: Context, pressed: Callback) -> None:
    chat_id, line_id = pressed.count(2).ints()
    user_id, lang = await _pressed(update, context, chat_id)
    change = await settings.remove_line(context.app, chat_id, user_id, line_id)
    await _confirm(update, context, chat_id, lang, change, "lines")


async def _confirm(
    update: Update,
    context: Context,
    chat_id: int,
    lang: str,
    change: settings.Change,
    back: str,
) -> None:
    note = settings.confirmation(context.bot_data, lang, change)
    await _show(update, context, await settings.screen(context.app, chat_id, lang, back, note))


async def ask(update: Update, context: Context, pressed: Callback) -> None:
    """ "Other time zone" / "Add a line": the menu asks for the words, with a Cancel button."""
    chat_id = pressed.count(2).number(0)
    user_id, lang = await _pressed(update, context, chat_id)
    key = await settings.ask(context.app, chat_id, user_id, pressed.text(1))
    data = context.bot_data
    screen = Screen(
        data.texts.t(lang, key),
        [[(data.texts.raw(lang, "settings.cancel"), settings.cancel_data(chat_id))]],
    )
    await _show(update, context, screen)


async def cancel_button(update: Update, context: Context, pressed: Callback) -> None:
    """Cancel on a prompt: nothing is awaited any more; back to the menu."""
    chat_id = pressed.count(1).number(0)
    user_id, lang = await _pressed(update, context, chat_id)
    await settings.cancel_typing(context.bot_data, user_id)
    note = context.bot_data.texts.t(lang, "settings.cancelled")
    await _show(update, context, await settings.screen(context.app, chat_id, lang, note=note))


async def close(update: Update, context: Context, pressed: Callback) -> None:
    chat_id = pressed.count(1).number(0)
    _, lang = await _pressed(update, context, chat_id)
    group = await settings.known_group(context.bot_data, chat_id)
    done = Screen(context.bot_data.texts.t(lang, "settings.closed", group=group.title), [])
    await _show(update, context, done)


async def receive_typed(update: Update, context: Context, waiting: Awaiting) -> None:
    """A time zone or one of the group's own lines, typed after the menu asked for it."""
    message = update.effective_message
    if message is None:
        return
    if not message.text:
        raise RefusedError("settings.ask_again")
    chat_id, change = await settings.receive(context.app, waiting, message.text)
    lang = await language_for(context.bot_data, update)
    note = settings.confirmation(context.bot_data, lang, change)
    back = "lines" if waiting.kind == settings.TYPED_LINE else "main"
    await _send(update, context, await settings.screen(context.app, chat_id, lang, back, note))


async def cancel_typed(update: Update, context: Context) -> None:
    """/cancel (or "cancel", "ghairi") while a typed setting is awaited: back to the menu."""
    user = update.effective_user
    if user is None:
        return
    chat_id = await settings.cancel_typing(context.bot_data, user.id)
    lang = await language_for(context.bot_data, update)
    note = context.bot_data.texts.t(lang, "settings.cancelled")
    if chat_id is None:
        await reply(update, context, "settings.cancelled")
        return
    await _send(update, context, await settings.screen(context.app, chat_id, lang, note=note))
