"""Transitional: the old helper names, over ``bot.adapters`` (removed once every feature uses
the adapters directly)."""

from __future__ import annotations

from typing import Any

from telegram import Update, User

from bot.adapters.guards import Actor, group_admin, is_anonymous_admin, is_group
from bot.adapters.keyboards import private_chat_button
from bot.adapters.replies import reply
from bot.context import Context
from bot.i18n import Safe
from bot.people import GROUP_TYPES, language_of
from bot.people import group_language as _group_language
from bot.people import language_for as _language_for

__all__ = [
    "GROUP_TYPES",
    "Actor",
    "group_admin",
    "group_language",
    "is_anonymous_admin",
    "is_group",
    "language_for",
    "private_chat_button",
    "reply",
    "text_of",
    "user_language",
]


async def user_language(context: Context, user: User | None) -> str:
    if user is None:
        return context.bot_data.settings.default_language
    return await language_of(context.bot_data, user.id, user.language_code)


async def group_language(context: Context, chat_id: int) -> str:
    return await _group_language(context.bot_data, chat_id)


async def language_for(update: Update, context: Context) -> str:
    return await _language_for(context.bot_data, update)


def text_of(context: Context, lang: str, key: str, **values: Any) -> Safe:
    return context.bot_data.texts.t(lang, key, **values)
