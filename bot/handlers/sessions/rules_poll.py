"""/rulespoll: an administrator puts proposed rules to the group; Telegram's poll counts; an
administrator adopts the result."""

from __future__ import annotations

from telegram import Update

from bot.adapters.callbacks import Callback
from bot.adapters.guards import group_admin
from bot.adapters.replies import edit_quietly, reply
from bot.context import Context
from bot.errors import AdminsOnlyError, StaleButtonError
from bot.people import language_of
from bot.sessions import polls


async def rulespoll_command(update: Update, context: Context) -> None:
    actor = await group_admin(update, context)
    message = update.effective_message
    if actor is None or message is None or message.text is None:
        return
    _command, _, proposal = message.text.partition(" ")
    if "\n" in message.text and not proposal.strip():
        _command, _, proposal = message.text.partition("\n")
    if not proposal.strip():
        await reply(update, context, "sessions.poll_usage")
        return
    await polls.put_to_group(context.app, message.chat.id, proposal)


async def poll_counted(update: Update, context: Context) -> None:
    if update.poll is not None:
        await polls.counted(context.app, update.poll)


async def adopt(update: Update, context: Context, pressed: Callback) -> None:
    query = update.callback_query
    if query is None or query.message is None:
        return
    poll_row = pressed.count(1).number(0)
    app = context.app
    data = app.bot_data
    poll = await data.store.sessions.poll(poll_row)
    user = query.from_user
    if poll is None:
        raise StaleButtonError
    if not await data.admins.is_admin(context.bot, poll.chat_id, user.id, fresh=True):
        raise AdminsOnlyError
    version = await polls.adopt(app, poll_row, user.id)
    if version is None:
        raise StaleButtonError
    await query.answer()
    lang = await language_of(data, user.id, user.language_code)
    await edit_quietly(
        context.app,
        query.message.chat.id,
        query.message.message_id,
        data.texts.t(lang, "sessions.adopted", version=version),
    )
