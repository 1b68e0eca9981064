"""Answering and sending, with Telegram's expected failures handled where they happen.

``reply`` answers an update with a catalogue text in the reader's language. A person who never
started the bot, or blocked it, cannot be written to: that is recorded and ``send_private``
gives ``None`` so the caller can tell a human to reach out another way.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from telegram import CallbackQuery, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import ExtBot

from bot.delivery import outbox
from bot.people import language_for

if TYPE_CHECKING:
    from bot.context import App, BotData, Context

log = logging.getLogger(__name__)

_GONE = ("message to delete not found", "message can't be deleted", "message to edit not found")


async def send_private(
    bot: ExtBot[None],
    data: BotData,
    user_id: int,
    text: str,
    *,
    reply_markup: InlineKeyboardMarkup | None = None,
    **kwargs: Any,
) -> Message | None:
    """Write to a person privately; ``None`` if Telegram says the bot cannot reach them."""
    try:
        return await bot.send_message(user_id, text, reply_markup=reply_markup, **kwargs)
    except Forbidden:
        await data.store.users.mark_blocked(user_id)
        log.info("cannot reach user %s privately", user_id)
        return None
    except BadRequest as error:
        if "chat not found" in error.message.lower():
            log.info("no private chat with user %s", user_id)
            return None
        raise


async def reply(
    update: Update,
    context: Context,
    key: str,
    *,
    reply_markup: InlineKeyboardMarkup | None = None,
    kind: str = "answer",
    **values: Any,
) -> None:
    """Answer in the chat the update came from, with a catalogue text in the right language.

    The answer leaves through the outbox, so a Telegram failure delays it but never loses it
    (nor stops the handler half way). In a group it quotes the message it answers. ``kind``
    is the outbox's (a feature may act once an answer of its kind arrived).
    """
    message = update.effective_message
    if message is None:
        return
    lang = await language_for(context.bot_data, update)
    texts = context.bot_data.texts
    private = message.chat.type == ChatType.PRIVATE
    await outbox.send_critical(
        context.app,
        message.chat_id,
        texts.t(lang, key, **values),
        kind=kind,
        reply_markup=reply_markup,
        reply_to=None if private else message.message_id,
        # An answer Telegram refuses as it is: the person at least hears that it went wrong.
        fail_chat=message.chat_id if private else None,
        fail_text=texts.t(lang, "error.generic") if private else None,
    )


async def answer_alert(update: Update, context: Context, key: str, **values: Any) -> None:
    """Answer a button press with a short pop-up (Telegram shows at most 200 characters)."""
    query = update.callback_query
    if query is None:
        return
    lang = await language_for(context.bot_data, update)
    text = context.bot_data.texts.t(lang, key, **values)
    await answer_button(query, str(text)[:190], show_alert=True)


async def delete_quietly(app: App, chat_id: int, message_id: int) -> bool:
    """Delete a message if it is still there and we may; never fail the caller over it (a
    removal Telegram cannot make right now is retried later)."""
    return await outbox.delete(app, chat_id, message_id)


async def edit_quietly(
    app: App,
    chat_id: int,
    message_id: int,
    text: str,
    *,
    reply_markup: InlineKeyboardMarkup | None = None,
) -> bool:
    """Replace a message's text (and buttons), through the outbox: in the chat's order, retried
    while Telegram fails. False if the message is gone, or already reads so."""
    result = await outbox.send_critical(
        app, chat_id, text, kind="edit", reply_markup=reply_markup, edit_of=message_id
    )
    return result != outbox.FAILED


async def strip_buttons(query: CallbackQuery) -> None:
    """Take the buttons off the message a press came from; if Telegram fails, the buttons stay
    (a later press of one is answered as no longer active) — never stops the handler."""
    try:
        await query.edit_message_reply_markup(reply_markup=None)
    except TelegramError:
        log.info("buttons could not be taken off a message")


async def answer_button(
    query: CallbackQuery, text: str | None = None, *, show_alert: bool = False
) -> None:
    """Answer a button press; a failure to answer (Telegram slow, the press too old) only
    leaves the little clock on the button a while longer — never stops the handler."""
    try:
        await query.answer(text, show_alert=show_alert)
    except TelegramError:
        log.info("a button press could not be answered")
