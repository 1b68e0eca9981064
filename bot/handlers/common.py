"""Small helpers every handler uses: language, replies, and who may do what."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from telegram import Chat, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update, User
from telegram.constants import ChatType

from bot.admins import ANONYMOUS_ADMIN_ID
from bot.context import Context
from bot.i18n import Safe, pick_language

GROUP_TYPES = (ChatType.GROUP, ChatType.SUPERGROUP)


@dataclass(frozen=True)
class Actor:
    """Who is acting: a person, or the group's anonymous administrator (``user_id`` None)."""

    user_id: int | None
    anonymous_admin: bool = False


async def user_language(context: Context, user: User | None) -> str:
    data = context.bot_data
    if user is None:
        return data.settings.default_language
    person = await data.store.users.get(user.id)
    return pick_language(
        person.language if person else None,
        user.language_code,
        data.settings.default_language,
    )


async def group_language(context: Context, chat_id: int) -> str:
    group = await context.bot_data.store.groups.get(chat_id)
    return group.language if group else context.bot_data.settings.default_language


async def language_for(update: Update, context: Context) -> str:
    """The language to answer in: the group's in a group, the person's in a private chat."""
    chat = update.effective_chat
    if chat is not None and chat.type in GROUP_TYPES:
        return await group_language(context, chat.id)
    return await user_language(context, update.effective_user)


async def reply(update: Update, context: Context, key: str, **values: Any) -> Message | None:
    """Answer in the chat the update came from, in the right language."""
    message = update.effective_message
    if message is None:
        return None
    lang = await language_for(update, context)
    markup = values.pop("reply_markup", None)
    return await message.reply_text(
        context.bot_data.texts.t(lang, key, **values), reply_markup=markup
    )


def is_group(chat: Chat | None) -> bool:
    return chat is not None and chat.type in GROUP_TYPES


def is_anonymous_admin(message: Message) -> bool:
    """Sent by an anonymous administrator: Telegram signs it with the group itself."""
    sender_chat = message.sender_chat
    if sender_chat is not None and sender_chat.id == message.chat.id:
        return True
    return message.from_user is not None and message.from_user.id == ANONYMOUS_ADMIN_ID


async def group_admin(update: Update, context: Context, *, fresh: bool = False) -> Actor | None:
    """The acting administrator of the group, or ``None`` after a kind refusal."""
    message = update.effective_message
    chat = update.effective_chat
    if message is None or chat is None or not is_group(chat):
        return None
    if is_anonymous_admin(message):
        return Actor(user_id=None, anonymous_admin=True)
    user = message.from_user
    if user is not None and await context.bot_data.admins.is_admin(
        context.bot, chat.id, user.id, fresh=fresh
    ):
        return Actor(user_id=user.id)
    await reply(update, context, "common.admins_only")
    return None


def private_chat_button(context: Context, lang: str, payload: str = "") -> InlineKeyboardMarkup:
    """A button that opens the private chat with the bot (optionally with a start payload)."""
    url = f"https://t.me/{context.bot.username}"
    if payload:
        url += f"?start={payload}"
    label = context.bot_data.texts.t(lang, "common.open_private")
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, url=url)]])


def text_of(context: Context, lang: str, key: str, **values: Any) -> Safe:
    return context.bot_data.texts.t(lang, key, **values)
