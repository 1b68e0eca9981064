"""Reading the rules: ``/rules`` in a group or privately, ``/rules history``, the pick of a
group, the "Read the rules" link (``/start rules_<id>``), and ``/remind N``."""

from __future__ import annotations

from telegram import Update

from bot.adapters.callbacks import Callback
from bot.adapters.guards import group_admin
from bot.adapters.keyboards import button, deep_link, keyboard, link_button
from bot.adapters.replies import answer_button, delete_quietly, reply
from bot.context import Context
from bot.delivery import outbox
from bot.errors import StaleButtonError
from bot.ids import parse_id
from bot.people import language_for
from bot.rules import gate, reading, reminders, versions
from bot.rules.callbacks import FEATURE, SHOW

HISTORY = ("history", "historia")


def payload_id(payload: str) -> int | None:
    """The group id after the prefix of a ``/start`` payload (``rules_-100…``)."""
    _, _, tail = payload.partition("_")
    return parse_id(tail)


async def rules_group(update: Update, context: Context) -> None:
    """/rules in a group (or /rules history for admins)."""
    chat = update.effective_chat
    if chat is None:
        return
    if context.args and context.args[0].lower() in HISTORY:
        await history(update, context)
        return
    data = context.bot_data
    lang = await language_for(data, update)
    await reminders.ensure(context.app, chat.id)
    if await versions.read_in_private(data, chat.id):
        label = data.texts.raw(lang, "rules.button_read")
        markup = keyboard([link_button(label, deep_link(context, f"rules_{chat.id}"))])
        await reply(update, context, "rules.in_private", reply_markup=markup)
        return
    body = await versions.rendered(data, chat.id, lang, chat.title)
    await reply(update, context, "rules.wrap", body=body)


async def history(update: Update, context: Context) -> None:
    chat = update.effective_chat
    if chat is None or await group_admin(update, context) is None:
        return
    lang = await language_for(context.bot_data, update)
    lines = await versions.history(context.bot_data, chat.id, lang)
    await reply(update, context, "rules.history", lines=lines)


async def rules_private(update: Update, context: Context) -> None:
    """/rules in the private chat: the person's group, or a choice when they are in several."""
    user = update.effective_user
    if user is None:
        return
    data = context.bot_data
    chat_ids = await reading.groups_of_reader(context.app, user.id)
    if len(chat_ids) == 1:
        await _send_privately(update, context, chat_ids[0])
        return
    if not chat_ids:
        lang = await language_for(data, update)
        body = await versions.rendered(data, None, lang)
        await reply(update, context, "rules.private_default", body=body)
        return
    rows = [
        [button(title, FEATURE, SHOW, chat_id)]
        for chat_id, title in await reading.titles(data, chat_ids)
    ]
    await reply(update, context, "rules.pick_group", reply_markup=keyboard(*rows))


async def _send_privately(update: Update, context: Context, chat_id: int) -> None:
    """The group's rules in the private chat; a newcomer still to agree gets their own
    "I agree" with them (a way in even when the welcome in the group did not get through)."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None:
        return
    data = context.bot_data
    lang = await language_for(data, update)
    body = await versions.rendered(data, chat_id, lang)
    markup = (
        gate.agree_keyboard(context.app, lang, chat_id, user.id)
        if await gate.waiting(data, chat_id, user.id)
        else None
    )
    await outbox.send_critical(
        context.app,
        chat.id,
        data.texts.t(lang, "rules.wrap", body=body),
        kind="answer",
        reply_markup=markup,
    )


async def show_picked(update: Update, context: Context, pressed: Callback) -> None:
    """A group picked from the private /rules list."""
    query, user = update.callback_query, update.effective_user
    chat_id = pressed.count(1).number(0)
    if query is None or user is None or not await reading.may_read(context.app, user.id, chat_id):
        raise StaleButtonError
    await answer_button(query)
    await _send_privately(update, context, chat_id)


async def rules_link(update: Update, context: Context, payload: str) -> None:
    """``/start rules_<chat_id>`` from a group's "Read the rules" button. The link can be
    passed on or made up: someone not in that group right now gets the same answer as a plain
    private /rules (their own groups' rules, or the general ones) — nothing of that group."""
    user = update.effective_user
    chat_id = payload_id(payload)
    if (
        user is None
        or chat_id is None
        or not await reading.known_group(context.bot_data, chat_id)
        or not await reading.present_now(context.app, user.id, chat_id)
    ):
        await rules_private(update, context)
    else:
        await _send_privately(update, context, chat_id)


async def remind(update: Update, context: Context) -> None:
    """An admin's /remind N: a kind reminder of rule N to everyone; the command is removed."""
    chat = update.effective_chat
    message = update.effective_message
    if chat is None or message is None or await group_admin(update, context) is None:
        return
    data = context.bot_data
    lang = await language_for(data, update)
    rule = await versions.rule_to_remind(
        data, chat.id, lang, context.args[0] if context.args else None
    )
    await delete_quietly(context.app, chat.id, message.message_id)
    actor_id = message.from_user.id if message.from_user else None
    await versions.post_reminder(context.app, chat.id, lang, rule, actor_id)


async def private_only_hint(update: Update, context: Context) -> None:
    await reply(update, context, "rules.in_group_only")
