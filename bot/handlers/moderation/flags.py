"""Solicitation flagging: every ordinary group message is offered to the scorer (handler group
OBSERVERS, never blocking anything), and /flagging on|off."""

from __future__ import annotations

from telegram import Update
from telegram.ext import MessageHandler, filters

from bot.adapters.guards import group_admin, is_anonymous_admin
from bot.adapters.replies import reply
from bot.context import Context
from bot.errors import RefusedError
from bot.handlers.feature import Handler
from bot.moderation import flags

ON_WORDS = ("on", "washa")
OFF_WORDS = ("off", "zima")


async def observe(update: Update, context: Context) -> None:
    """A new message, or an edited one: an advert added by editing is screened like a new one
    (the edit never runs a command again: that stops in the commands' group)."""
    message = update.effective_message
    if message is None or message.from_user is None or message.from_user.is_bot:
        return
    if message.sender_chat is not None or is_anonymous_admin(message):
        return
    text = message.text or message.caption
    if not text:
        return
    sender = message.from_user
    await flags.observe(
        context.app,
        message.chat.id,
        sender.id,
        sender.first_name or str(sender.id),
        message.message_id,
        text,
    )


async def flagging(update: Update, context: Context) -> None:
    chat = update.effective_chat
    if chat is None:
        return
    actor = await group_admin(update, context)
    if actor is None:
        return
    group = await context.bot_data.store.groups.get(chat.id)
    if group is None:
        raise RefusedError("moderation.not_set_up")
    args = [a.lower() for a in context.args or []]
    if not args or args[0] not in (*ON_WORDS, *OFF_WORDS):
        state = "moderation.flagging_is_on" if group.flagging else "moderation.flagging_is_off"
        await reply(update, context, state)
        return
    value = args[0] in ON_WORDS
    await flags.set_flagging(context.app, group, actor, value)
    await reply(update, context, "moderation.flagging_on" if value else "moderation.flagging_off")


def observers() -> list[Handler]:
    return [
        MessageHandler(
            filters.ChatType.GROUPS
            & (filters.TEXT | filters.CAPTION)
            & ~filters.COMMAND
            & filters.UpdateType.MESSAGES,
            observe,
        )
    ]
