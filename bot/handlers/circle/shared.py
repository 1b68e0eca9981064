"""What every circle screen shares: answering a button by replacing its message, the one
question view of the guided conversation, and the check that a button is pressed in the
member's own private chat."""

from __future__ import annotations

import contextlib
from typing import Any

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Update, User
from telegram.error import TelegramError

from bot.adapters.callbacks import ButtonHandler, Callback
from bot.adapters.keyboards import button, keyboard
from bot.adapters.replies import answer_button, edit_quietly
from bot.circle import guide
from bot.circle.callbacks import ADD_ASKED, CANCEL, FEATURE, SKIP
from bot.context import Context
from bot.delivery import outbox
from bot.errors import NotForYouError
from bot.i18n import Safe
from bot.people import language_for


def btn(label: str, verb: str, *args: object) -> InlineKeyboardButton:
    """A button for one of the circle's verbs."""
    return button(label, FEATURE, verb, *args)


async def lang_of(update: Update, context: Context) -> str:
    return await language_for(context.bot_data, update)


def t(context: Context, lang: str, key: str, **values: Any) -> Safe:
    return context.bot_data.texts.t(lang, key, **values)


def person_of(update: Update) -> User:
    """Who is acting (every circle update has one)."""
    user = update.effective_user
    if user is None:
        raise NotForYouError
    return user


async def answer_quietly(context: Context, query: CallbackQuery, text: str | None = None) -> None:
    """Answer a button press once: a later answer to the same press is not sent (Telegram
    would refuse it); an answer Telegram refuses anyway is harmless."""
    if context.answered_query == query.id:
        return
    context.answered_query = query.id
    with contextlib.suppress(TelegramError):
        await answer_button(query, text)


async def show(
    update: Update, context: Context, text: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    """Answer a button by replacing its message; answer a message with a new one."""
    query = update.callback_query
    if query is not None and query.message is not None:
        await answer_quietly(context, query)
        changed = await edit_quietly(
            context.app,
            query.message.chat.id,
            query.message.message_id,
            text,
            reply_markup=markup,
        )
        if changed:
            return
    chat = update.effective_chat
    if chat is not None:
        await outbox.send_critical(context.app, chat.id, text, kind="answer", reply_markup=markup)


def own_chat(handler: ButtonHandler) -> ButtonHandler:
    """A member's button works only in their own private chat with the bot."""

    async def checked(update: Update, context: Context, pressed: Callback) -> None:
        query = update.callback_query
        user = person_of(update)
        if query is not None and query.message is not None and query.message.chat.id != user.id:
            raise NotForYouError
        await handler(update, context, pressed)

    return checked


async def ask(update: Update, context: Context, state: str, answers: dict[str, Any]) -> None:
    """Save where we are (and await the answer), then ask that one question."""
    await guide.save(context.app, person_of(update).id, state, answers)
    await question(update, context, state)


async def question(update: Update, context: Context, state: str) -> None:
    """One question, with Skip where allowed, and Cancel."""
    lang = await lang_of(update, context)
    if state == guide.ADD_ASKED:
        markup = keyboard(
            [
                btn(t(context, lang, "circle.btn_yes"), ADD_ASKED, 1),
                btn(t(context, lang, "circle.btn_not_yet"), ADD_ASKED, 0),
            ],
            [btn(t(context, lang, "circle.btn_cancel"), CANCEL)],
        )
    else:
        row = [btn(t(context, lang, "circle.btn_cancel"), CANCEL)]
        if guide.can_skip(state):
            row.insert(0, btn(t(context, lang, "circle.btn_skip"), SKIP))
        markup = keyboard(row)
    text = t(context, lang, guide.question_key(state))
    step = guide.step_of(state)
    if step is not None:
        number, total = step
        text = Safe(f"{t(context, lang, 'circle.step', n=number, total=total)}\n{text}")
    await show(update, context, text, markup)
