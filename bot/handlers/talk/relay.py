"""Inside a conversation: the relay catcher, /end, /share, and the buttons on the way.

What is relayed, and how a conversation closes, lives in ``bot.talk.relay``.
"""

from __future__ import annotations

from telegram import Update, User

from bot.adapters.callbacks import Callback
from bot.adapters.keyboards import button, keyboard
from bot.adapters.replies import answer_alert, answer_button, edit_quietly, reply, strip_buttons
from bot.context import Context
from bot.delivery import outbox
from bot.people import language_of
from bot.records.talk import PENDING, Conversation
from bot.talk import FEATURE, relay, requests
from bot.talk.callbacks import BLOCK_NO, BLOCK_YES, avoid_buttons
from bot.talk.relay import Relayed
from bot.talk.wording import crisis_lines, helper_role

# What the sender is told when their message was not passed on.
NOT_PASSED_ON = {
    Relayed.NOT_RELAYABLE: "talk.cannot_relay_kind",
    Relayed.NOT_DELIVERED: "talk.not_delivered",
}


async def relay_catcher(update: Update, context: Context) -> bool:
    """A private message nobody awaited: relayed if the person is in a conversation."""
    user = update.effective_user
    message = update.effective_message
    if user is None or message is None:
        return False
    app = context.app
    data = app.bot_data
    conversation = await data.store.talk.active_for(user.id)
    if conversation is None:
        return False
    if conversation.status == PENDING:
        await reply(update, context, "talk.still_waiting")
        return True
    outcome = await relay.relay(app, conversation, user.id, message)
    if outcome in NOT_PASSED_ON:
        await reply(update, context, NOT_PASSED_ON[outcome])
    elif outcome is Relayed.OTHER_SIDE_GONE:
        await _other_side_gone(update, context, conversation, user)
    return True


async def _other_side_gone(
    update: Update, context: Context, conversation: Conversation, user: User
) -> None:
    """The other side blocked the bot (the conversation is closed): tell the sender plainly."""
    data = context.bot_data
    if user.id != conversation.member_id:
        await reply(update, context, "talk.undeliverable_helper")
        return
    lang = await language_of(data, user.id, user.language_code)
    await reply(
        update,
        context,
        "talk.undeliverable_member",
        role=helper_role(data, lang, conversation.kind),
        lines=await crisis_lines(data, lang, conversation.chat_id),
    )


async def end_command(update: Update, context: Context) -> None:
    """/end: close the open conversation for both sides (or withdraw a waiting request)."""
    user = update.effective_user
    if user is None:
        return
    data = context.bot_data
    ended, conversation = await requests.end(context.app, user.id)
    if ended is requests.Ended.WITHDRAWN:
        await reply(update, context, "talk.withdrawn")
    elif ended is requests.Ended.BY_MEMBER:
        lang = await language_of(data, user.id, user.language_code)
        markup = avoid_buttons(data, lang, conversation)
        await reply(update, context, "talk.end_you_member", reply_markup=markup)
    elif ended is requests.Ended.BY_HELPER:
        await reply(update, context, "talk.end_you_helper")


async def share_command(update: Update, context: Context) -> None:
    """/share: show the other side who I am on Telegram (only ever by my own choice)."""
    user = update.effective_user
    if user is None:
        return
    conversation = await relay.open_one(context.bot_data, user.id)
    await _share(context, conversation, user)


async def _share(context: Context, conversation: Conversation, user: User) -> None:
    data = context.bot_data
    sent = await relay.share(context.app, conversation, user)
    lang = await language_of(data, user.id, user.language_code)
    text = data.texts.t(lang, "talk.shared_you" if sent else "talk.not_delivered")
    await outbox.send_critical(context.app, user.id, text, kind="talk")


async def _conversation(update: Update, context: Context, pressed: Callback) -> Conversation:
    query = update.callback_query
    user_id = query.from_user.id if query else 0
    return await relay.part_of(context.bot_data, pressed.count(1).number(0), user_id)


async def share(update: Update, context: Context, pressed: Callback) -> None:
    query = update.callback_query
    if query is None or query.message is None:
        return
    conversation = await _conversation(update, context, pressed)
    await _share(context, conversation, query.from_user)
    await answer_button(query)


async def block(update: Update, context: Context, pressed: Callback) -> None:
    """A helper asks to end the conversation and not get this person's requests again."""
    query = update.callback_query
    if query is None or query.message is None:
        return
    conversation = await _conversation(update, context, pressed)
    relay.may_block(conversation, query.from_user.id)
    await answer_button(query)
    data = context.bot_data
    user = query.from_user
    lang = await language_of(data, user.id, user.language_code)
    t = data.texts.t
    markup = keyboard(
        [button(t(lang, "talk.block_yes"), FEATURE, BLOCK_YES, conversation.id)],
        [button(t(lang, "talk.block_no"), FEATURE, BLOCK_NO, conversation.id)],
    )
    await outbox.send_critical(
        context.app, user.id, t(lang, "talk.block_confirm"), kind="talk", reply_markup=markup
    )


async def block_yes(update: Update, context: Context, pressed: Callback) -> None:
    query = update.callback_query
    if query is None or query.message is None:
        return
    conversation = await _conversation(update, context, pressed)
    user = query.from_user
    done = await relay.block(context.app, conversation, user.id)
    await answer_button(query)
    if done:
        data = context.bot_data
        lang = await language_of(data, user.id, user.language_code)
        text = data.texts.t(lang, "talk.block_done")
        await edit_quietly(context.app, query.message.chat.id, query.message.message_id, text)


async def block_no(update: Update, context: Context, pressed: Callback) -> None:
    query = update.callback_query
    if query is None or query.message is None:
        return
    conversation = await _conversation(update, context, pressed)
    user = query.from_user
    relay.may_block(conversation, user.id)
    await answer_button(query)
    data = context.bot_data
    lang = await language_of(data, user.id, user.language_code)
    text = data.texts.t(lang, "talk.block_kept")
    await edit_quietly(context.app, query.message.chat.id, query.message.message_id, text)


async def avoid(update: Update, context: Context, pressed: Callback) -> None:
    """After a conversation with a peer listener: don't match me with them again."""
    query = update.callback_query
    if query is None or query.message is None:
        return
    conversation = await _conversation(update, context, pressed)
    await relay.avoid(context.bot_data, conversation, query.from_user.id)
    await answer_alert(update, context, "talk.avoid_done")
    await strip_buttons(query)
