"""Changing the rules: ``/setrules`` in a group (the text after it, or the replied-to text),
the guided edit in the private chat (``/setrules``, ``/start setrules_<id>``, the words the bot
awaits, ``/cancel``), and agreeing again to changed rules."""

from __future__ import annotations

import re

from telegram import Message, Update

from bot.adapters.callbacks import Callback
from bot.adapters.guards import group_admin
from bot.adapters.keyboards import button, deep_link, keyboard, link_button
from bot.adapters.replies import answer_button, edit_quietly, reply
from bot.context import Context
from bot.errors import RefusedError
from bot.handlers.rules.reading import payload_id
from bot.people import language_for, language_of
from bot.records.awaiting import Awaiting
from bot.rules import callbacks, editing, pinning, reading, versions

_COMMAND = re.compile(r"^/\w+(@\w+)?\s?", re.ASCII)


def _text_after_command(message: Message) -> str:
    return _COMMAND.sub("", message.text or "", count=1).strip()


async def setrules_group(update: Update, context: Context) -> None:
    """/setrules in a group: the text after the command, the replied-to text, or a guided edit."""
    chat = update.effective_chat
    message = update.effective_message
    if chat is None or message is None:
        return
    actor = await group_admin(update, context, fresh=True)
    if actor is None:
        return
    data = context.bot_data
    if not await reading.known_group(data, chat.id):
        raise RefusedError("rules.settings_unknown_group")
    text = _text_after_command(message)
    replied = message.reply_to_message
    if not text and replied is not None:
        text = (replied.text or replied.caption or "").strip()
    if not text:
        lang = await language_for(data, update)
        label = data.texts.raw(lang, "rules.button_write")
        markup = keyboard([link_button(label, deep_link(context, f"setrules_{chat.id}"))])
        await reply(update, context, "rules.set_guided_group", reply_markup=markup)
        return
    version = await versions.new_version(context.app, chat.id, text, actor.user_id)
    await pinning.publish(context.app, chat.id, version)


async def _begin(update: Update, context: Context, chat_id: int) -> None:
    user = update.effective_user
    if user is None:
        return
    title = await editing.begin(context.app, user.id, chat_id)
    lang = await language_for(context.bot_data, update)
    label = context.bot_data.texts.raw(lang, "rules.button_cancel")
    markup = keyboard([button(label, callbacks.FEATURE, callbacks.STOP_EDIT, chat_id)])
    await reply(update, context, "rules.set_guided_start", group=title, reply_markup=markup)


async def setrules_private(update: Update, context: Context) -> None:
    """/setrules in the private chat: pick the group (admins only), then write."""
    user = update.effective_user
    if user is None:
        return
    chat_ids = await editing.admin_groups(context.app, user.id)
    if len(chat_ids) == 1:
        await _begin(update, context, chat_ids[0])
        return
    if not chat_ids:
        await reply(update, context, "rules.set_guided_none")
        return
    rows = [
        [link_button(title, deep_link(context, f"setrules_{chat_id}"))]
        for chat_id, title in await reading.titles(context.bot_data, chat_ids)
    ]
    await reply(update, context, "rules.set_guided_pick", reply_markup=keyboard(*rows))


async def setrules_link(update: Update, context: Context, payload: str) -> None:
    """``/start setrules_<chat_id>``: the guided edit for one group."""
    chat_id = payload_id(payload)
    if chat_id is None:
        await setrules_private(update, context)
        return
    await _begin(update, context, chat_id)


async def receive_rules(update: Update, context: Context, waiting: Awaiting) -> None:
    """The new rules, written in the private chat while the bot awaits them."""
    message = update.effective_message
    if message is None:
        return
    if not message.text:
        raise RefusedError("rules.set_empty")  # a photo or sticker: still waiting for text
    version = await editing.receive(context.app, waiting, message.text)
    await reply(update, context, "rules.set_done", version=version)


async def stop_edit(update: Update, context: Context, pressed: Callback) -> None:
    """Cancel under the guided edit's prompt: the edit stops, nothing changes."""
    query, user = update.callback_query, update.effective_user
    if query is None or user is None or query.message is None:
        return
    pressed.count(1).number(0)
    await editing.stop(context.bot_data, user.id)
    await query.answer()
    lang = await language_for(context.bot_data, update)
    await edit_quietly(
        context.app,
        query.message.chat.id,
        query.message.message_id,
        context.bot_data.texts.t(lang, "rules.set_cancelled"),
    )


async def reaccept(update: Update, context: Context, pressed: Callback) -> None:
    """A member agrees to changed rules (re-acceptance): recorded, nothing else changes."""
    query, user = update.callback_query, update.effective_user
    if query is None or user is None:
        return
    chat_id, version = pressed.count(2).ints()
    await versions.reaccept(context.bot_data, chat_id, user.id, version)
    lang = await language_of(context.bot_data, user.id, user.language_code)
    await answer_button(query, context.bot_data.texts.t(lang, "rules.reaccepted", version=version))
