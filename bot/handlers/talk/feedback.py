"""/feedback: anonymous feedback to a group's facilitators — the question, the preview, Send.

How it stays anonymous, and where the draft waits (sealed), lives in ``bot.talk.feedback``.
"""

from __future__ import annotations

from telegram import Update

from bot.adapters.callbacks import Callback
from bot.adapters.keyboards import button, keyboard, point_to_private
from bot.adapters.replies import answer_button, edit_quietly, reply
from bot.context import Context
from bot.delivery import outbox
from bot.errors import RefusedError, StaleButtonError
from bot.handlers.start import plain_private
from bot.handlers.talk.relay import relay_catcher
from bot.people import language_of
from bot.records.awaiting import Awaiting
from bot.talk import FEATURE, awaiting, feedback
from bot.talk.callbacks import FEEDBACK_CANCEL, FEEDBACK_GROUP, FEEDBACK_SEND
from bot.talk.members import groups_of, member_of, title


async def feedback_command(update: Update, context: Context) -> None:
    user = update.effective_user
    if user is None:
        return
    app = context.app
    data = app.bot_data
    await awaiting.forget(data, user.id)
    groups = await groups_of(app, user.id)
    if not groups:
        raise RefusedError("talk.feedback_no_groups")
    if len(groups) == 1:
        await _ask_text(update, context, groups[0])
        return
    rows = [
        [
            button(
                await title(data, chat_id, fallback=str(chat_id)), FEATURE, FEEDBACK_GROUP, chat_id
            )
        ]
        for chat_id in groups
    ]
    await reply(update, context, "talk.feedback_choose_group", reply_markup=keyboard(*rows))


async def feedback_link(update: Update, context: Context, _payload: str) -> None:
    """``/start feedback`` from the group's button: straight to /feedback."""
    await feedback_command(update, context)


async def feedback_in_group(update: Update, context: Context) -> None:
    await point_to_private(update, context, "talk.feedback_in_group", "feedback")


async def _ask_text(update: Update, context: Context, chat_id: int) -> None:
    """Say plainly how anonymous it is before anything is written."""
    user = update.effective_user
    if user is None:
        return
    data = context.bot_data
    lang = await language_of(data, user.id, user.language_code)
    await feedback.await_text(data, user.id, chat_id)
    text = data.texts.t(lang, "talk.feedback_explain", group=await title(data, chat_id))
    cancel = button(data.texts.t(lang, "talk.feedback_cancel"), FEATURE, FEEDBACK_CANCEL)
    await outbox.send_critical(
        context.app, user.id, text, kind="answer", reply_markup=keyboard([cancel])
    )


async def feedback_received(update: Update, context: Context, waiting: Awaiting) -> None:
    """The feedback itself (``talk.feedback`` was awaited): show it back with Send and Cancel."""
    user = update.effective_user
    message = update.effective_message
    if user is None or message is None:
        return
    if not awaiting.awaits_words(waiting):
        # The preview waits for a press, not for words: these are not feedback.
        if not await relay_catcher(update, context):
            await plain_private(update, context)
        return
    data = context.bot_data
    text = await feedback.hold_draft(data, waiting, message.text)
    lang = await language_of(data, user.id, user.language_code)
    t = data.texts.t
    markup = keyboard(
        [button(t(lang, "talk.feedback_send"), FEATURE, FEEDBACK_SEND)],
        [button(t(lang, "talk.feedback_cancel"), FEATURE, FEEDBACK_CANCEL)],
    )
    await reply(update, context, "talk.feedback_preview", text=text, reply_markup=markup)


async def feedback_group(update: Update, context: Context, pressed: Callback) -> None:
    query = update.callback_query
    if query is None or query.message is None:
        return
    chat_id = pressed.count(1).number(0)
    user = query.from_user
    if not await member_of(context.app, user.id, chat_id):
        raise StaleButtonError
    await answer_button(query)
    data = context.bot_data
    lang = await language_of(data, user.id, user.language_code)
    text = data.texts.t(lang, "talk.feedback_for", group=await title(data, chat_id))
    await edit_quietly(context.app, query.message.chat.id, query.message.message_id, text)
    await _ask_text(update, context, chat_id)


async def feedback_cancel(update: Update, context: Context, _pressed: Callback) -> None:
    query = update.callback_query
    if query is None or query.message is None:
        return
    user = query.from_user
    data = context.bot_data
    await feedback.cancel(data, user.id)
    await answer_button(query)
    lang = await language_of(data, user.id, user.language_code)
    text = data.texts.t(lang, "talk.feedback_cancelled")
    await edit_quietly(context.app, query.message.chat.id, query.message.message_id, text)


async def feedback_send(update: Update, context: Context, _pressed: Callback) -> None:
    query = update.callback_query
    if query is None or query.message is None:
        return
    user = query.from_user
    data = context.bot_data
    delivered = await feedback.send(context.app, user.id)
    await answer_button(query)
    lang = await language_of(data, user.id, user.language_code)
    text = data.texts.t(lang, "talk.feedback_sent" if delivered else "talk.feedback_kept")
    await edit_quietly(context.app, query.message.chat.id, query.message.message_id, text)
