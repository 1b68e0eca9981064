"""Buttons, keyboards, a link into the private chat, and how a person is mentioned."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update, User

from bot.adapters.callbacks import encode
from bot.adapters.replies import reply
from bot.context import Context
from bot.i18n import Safe
from bot.people import language_of


def button(label: str, feature: str, verb: str, *args: object) -> InlineKeyboardButton:
    """A button whose press reaches ``feature``'s handler for ``verb`` with ``args``."""
    return InlineKeyboardButton(label, callback_data=encode(feature, verb, *args))


def link_button(label: str, url: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, url=url)


def keyboard(*rows: list[InlineKeyboardButton]) -> InlineKeyboardMarkup:
    """Rows of buttons; empty rows are left out."""
    return InlineKeyboardMarkup([list(row) for row in rows if row])


def deep_link(context: Context, payload: str = "") -> str:
    """A link that opens the private chat with the bot (optionally with a ``/start`` payload)."""
    return start_link(context.bot.username, payload)


def start_link(bot_username: str, payload: str = "") -> str:
    """``deep_link`` where there is no update to answer (a timed job)."""
    url = f"https://t.me/{bot_username}"
    return f"{url}?start={payload}" if payload else url


def private_chat_button(context: Context, lang: str, payload: str = "") -> InlineKeyboardMarkup:
    """A one-button keyboard that opens the private chat with the bot."""
    label = context.bot_data.texts.t(lang, "common.open_private")
    return InlineKeyboardMarkup([[link_button(label, deep_link(context, payload))]])


def mention(user: User) -> Safe:
    """A person's Telegram account, as they choose to share it: @username, else a link."""
    if user.username:
        return Safe("@" + html.escape(user.username))
    name = html.escape(user.first_name or str(user.id))
    return Safe(f'<a href="tg://user?id={user.id}">{name}</a>')


def plain_keyboard(rows: Sequence[Sequence[tuple[str, str]]]) -> InlineKeyboardMarkup:
    """A keyboard from plain ``(label, button data)`` pairs, as a domain module describes it."""
    return keyboard(
        *([InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows)
    )


async def point_to_private(
    update: Update, context: Context, key: str, payload: str = "", **values: Any
) -> None:
    """Answer in a group with ``key`` and a button into the private chat, labelled in the
    asker's own language (what follows belongs there, never in the group)."""
    user = update.effective_user
    data = context.bot_data
    lang = (
        await language_of(data, user.id, user.language_code)
        if user is not None
        else data.settings.default_language
    )
    markup = private_chat_button(context, lang, payload)
    await reply(update, context, key, reply_markup=markup, **values)
