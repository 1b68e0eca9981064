"""/report, and the admins' one-tap answers to a report or a flag (``report_action:ID:ACTION``).

The reporter is never shown to anyone: their /report message is removed from the group at once.
"""

from __future__ import annotations

from telegram import Update

from bot.adapters.callbacks import Callback
from bot.adapters.guards import Actor
from bot.adapters.replies import answer_button, delete_quietly, reply
from bot.context import Context
from bot.errors import AdminsOnlyError, RefusedError
from bot.moderation import policy, reports


async def report(update: Update, context: Context) -> None:
    message = update.effective_message
    chat = update.effective_chat
    user = update.effective_user
    if message is None or chat is None or user is None:
        return
    replied = message.reply_to_message
    if replied is None or replied.from_user is None or replied.from_user.id == context.bot.id:
        await reply(update, context, "moderation.report_how")
        return
    group = await context.bot_data.store.groups.get(chat.id)
    if group is None:
        raise RefusedError("moderation.not_set_up")
    # The report itself must not show who reported: take the command out of the group.
    await delete_quietly(context.app, chat.id, message.message_id)
    reported = reports.Reported(
        message_id=replied.message_id,
        target_id=None if replied.sender_chat is not None else replied.from_user.id,
        name=replied.from_user.first_name or str(replied.from_user.id),
        note=" ".join(context.args or []).strip()[: policy.MAX_REASON_CHARS] or None,
    )
    await reports.file(context.app, group, user.id, reported)


async def on_report_action(update: Update, context: Context, pressed: Callback) -> None:
    query = update.callback_query
    if query is None:
        return
    pressed.count(2)
    app = context.app
    found, group = await reports.pressed(app, pressed.number(0), pressed.text(1))
    presser = query.from_user
    if not await context.bot_data.admins.is_admin(context.bot, group.chat_id, presser.id):
        raise AdminsOnlyError
    await reports.answer(
        app, group, found, pressed.text(1), Actor(user_id=presser.id), presser.first_name
    )
    lang = group.language
    await answer_button(query, context.bot_data.texts.t(lang, "moderation.report_done"))
