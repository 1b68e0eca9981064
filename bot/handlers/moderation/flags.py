"""Solicitation flagging: every ordinary group message is offered to the scorer (handler group
OBSERVERS, never blocking anything), with what Telegram parsed about it; and
/flagging on|off|reset."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.constants import MessageEntityType
from telegram.ext import MessageHandler

from bot.adapters.filters import GROUP_WORDS
from bot.adapters.guards import group_admin, is_anonymous_admin
from bot.adapters.replies import reply
from bot.context import Context
from bot.errors import RefusedError
from bot.handlers.feature import Handler
from bot.moderation import flags, teaching
from bot.moderation.features import NO_SIGNALS, MessageSignals

ON_WORDS = ("on", "washa")
OFF_WORDS = ("off", "zima")
RESET_WORDS = ("reset", "sahau")


def signals_of(message: Message) -> MessageSignals:
    """What Telegram parsed about a message, as plain values: its (or its caption's) entity
    types, whether it is a caption, a forward's origin, and its buttons. The addresses of hidden
    links and the buttons' labels and addresses are read like the text (never kept)."""
    entities = message.entities or message.caption_entities or ()
    markup = message.reply_markup
    origin = message.forward_origin
    caption = message.text is None and message.caption is not None
    if not entities and markup is None and origin is None and not caption:
        return NO_SIGNALS  # most messages: plain words, nothing Telegram parsed
    extra = [e.url for e in entities if e.type == MessageEntityType.TEXT_LINK and e.url]
    url_buttons = 0
    if isinstance(markup, InlineKeyboardMarkup):
        for row in markup.inline_keyboard:
            for pressable in row:
                extra.append(pressable.text)
                if pressable.url:
                    url_buttons += 1
                    extra.append(pressable.url)
    return MessageSignals(
        entities=frozenset(str(e.type) for e in entities),
        caption=caption,
        forward_origin=str(origin.type) if origin is not None else None,
        url_buttons=url_buttons,
        extra=" ".join(extra),
    )


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
        signals_of(message),
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
    if args and args[0] in RESET_WORDS:
        forgotten = await teaching.reset_learning(context.app, group, actor)
        await reply(
            update,
            context,
            "moderation.flagging_reset_done" if forgotten else "moderation.flagging_reset_nothing",
        )
        return
    if not args or args[0] not in (*ON_WORDS, *OFF_WORDS):
        state = "moderation.flagging_is_on" if group.flagging else "moderation.flagging_is_off"
        await reply(update, context, state)
        return
    value = args[0] in ON_WORDS
    await flags.set_flagging(context.app, group, actor, value)
    await reply(update, context, "moderation.flagging_on" if value else "moderation.flagging_off")


def observers() -> list[Handler]:
    return [MessageHandler(GROUP_WORDS, observe)]
