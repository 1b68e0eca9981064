"""/appeal (privately; in the group it points the way), /answer, and the admins' lift-or-keep
button (``appeal_decision:ID:lift|keep``)."""

from __future__ import annotations

from telegram import Update

from bot.adapters.callbacks import Callback
from bot.adapters.keyboards import point_to_private
from bot.adapters.replies import answer_button, delete_quietly, reply
from bot.context import Context
from bot.errors import StaleButtonError
from bot.ids import parse_id
from bot.moderation import appeals, callbacks


async def appeal(update: Update, context: Context) -> None:
    user = update.effective_user
    if user is None:
        return
    words = " ".join(context.args or [])
    sent = await appeals.file(context.app, user.id, user.first_name, words)
    await reply(
        update, context, "moderation.appeal_sent" if sent else "moderation.appeal_undelivered"
    )


async def appeal_in_group(update: Update, context: Context) -> None:
    """An appeal is never written in the group: point to the private chat, then remove the
    command (its words are private)."""
    await point_to_private(update, context, "moderation.appeal_private")
    message = update.effective_message
    if message is not None:
        await delete_quietly(context.app, message.chat.id, message.message_id)


async def answer(update: Update, context: Context) -> None:
    """/answer ID your words — an admin answers an appeal through the bot."""
    user = update.effective_user
    if user is None:
        return
    args = list(context.args or [])
    appeal_id = parse_id(args[0], signed=False) if len(args) >= 2 else None
    if appeal_id is None:
        await reply(update, context, "moderation.answer_how")
        return
    reached = await appeals.answer(context.app, appeal_id, user.id, " ".join(args[1:]))
    await reply(
        update, context, "moderation.answer_sent" if reached else "moderation.answer_unreached"
    )


async def on_appeal_decision(update: Update, context: Context, pressed: Callback) -> None:
    query = update.callback_query
    if query is None:
        return
    decision = pressed.count(2).text(1)
    if decision not in callbacks.APPEAL_DECISIONS:
        raise StaleButtonError
    presser = query.from_user
    await appeals.decide(context.app, pressed.number(0), decision, presser.id, presser.first_name)
    await answer_button(query)
