"""Leaving a group: the one kind private note, and its two buttons (keep my circle / erase my
data, which asks /forgetme's question)."""

from __future__ import annotations

from telegram import ChatMemberUpdated, Update
from telegram.constants import ChatMemberStatus

from bot.adapters.callbacks import Callback
from bot.adapters.guards import is_group
from bot.adapters.presence import is_present
from bot.circle import leaving
from bot.context import Context
from bot.handlers.circle.data import forget_keyboard
from bot.handlers.circle.shared import lang_of, show, t


async def on_left(update: Update, context: Context) -> None:
    """Someone left a group of their own accord (not removed by an admin or by the bot)."""
    change: ChatMemberUpdated | None = update.chat_member
    if change is None or not is_group(change.chat):
        return
    person = change.new_chat_member.user
    if person.is_bot or change.from_user.id != person.id:
        return
    if not is_present(change.old_chat_member) or is_present(change.new_chat_member):
        return
    if change.new_chat_member.status != ChatMemberStatus.LEFT:
        return
    await leaving.left_group(context.app, change.chat.id, person.id)


async def on_keep(update: Update, context: Context, _pressed: Callback) -> None:
    lang = await lang_of(update, context)
    await show(update, context, t(context, lang, "joinmodes.left_kept"))


async def on_erase(update: Update, context: Context, _pressed: Callback) -> None:
    lang = await lang_of(update, context)
    await show(
        update, context, t(context, lang, "circle.forget_confirm"), forget_keyboard(context, lang)
    )
