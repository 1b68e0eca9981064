"""The relay: while a conversation is open, each side's messages reach the other through the bot.

Messages are copied (``copyMessage``), so neither side sees the other's account unless they
choose to share it. Nothing said is stored or logged. A message that cannot be delivered is
reported to its sender, never dropped silently.
"""

from __future__ import annotations

import logging
from typing import cast

from telegram import Update
from telegram.error import BadRequest, Forbidden
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.adapters.replies import edit_quietly, send_private
from bot.context import App, Context
from bot.handlers.common import reply, user_language
from bot.handlers.talk_shared import (
    AWAITING,
    avoid_markup,
    button,
    clear_waiting,
    close_conversation,
    helper_role,
    keyboard,
    t,
    who,
)
from bot.people import language_of
from bot.records.scheduled import ScheduledAction
from bot.storage.talk import OPEN, PENDING, Conversation
from bot.talk.policy import policy
from bot.talk.relay import relayable
from bot.talk.routing import LISTENER

log = logging.getLogger(__name__)

PRIVATE = filters.ChatType.PRIVATE


async def on_private_message(update: Update, context: Context) -> None:
    """Every private message that is not a command: a waited-for answer, the relay, or neither."""
    from bot.handlers import start, talk, talk_feedback

    user = update.effective_user
    message = update.effective_message
    if user is None or message is None:
        return
    waiting = context.user_data.get(AWAITING) if context.user_data is not None else None
    if isinstance(waiting, dict):
        if waiting.get("what") == "topic":
            await talk.topic_received(update, context, int(waiting["chat"]), str(waiting["kind"]))
            return
        if waiting.get("what") == "feedback":
            await talk_feedback.feedback_received(update, context, int(waiting["chat"]))
            return
    conversation = await context.bot_data.store.talk.active_for(user.id)
    if conversation is None:
        await start.plain_private(update, context)
        return
    if conversation.status == PENDING:
        await reply(update, context, "talk.still_waiting")
        return
    await relay(update, context, conversation)


async def relay(update: Update, context: Context, conversation: Conversation) -> None:
    user = update.effective_user
    message = update.effective_message
    if user is None or message is None:
        return
    data = context.bot_data
    other = conversation.other_side(user.id)
    if other is None:
        return
    if not relayable(message):
        await reply(update, context, "talk.cannot_relay_kind")
        return
    try:
        await context.bot.copy_message(
            chat_id=other, from_chat_id=message.chat.id, message_id=message.message_id
        )
    except Forbidden:
        await _other_side_gone(update, context, conversation, other)
        return
    except BadRequest as error:
        if "chat not found" in error.message.lower():
            await _other_side_gone(update, context, conversation, other)
            return
        log.info("talk relay: message not delivered (%s)", type(error).__name__)
        await reply(update, context, "talk.not_delivered")
        return
    await data.store.talk.touch(conversation.id)


async def _other_side_gone(
    update: Update, context: Context, conversation: Conversation, other: int
) -> None:
    """The other side blocked the bot: tell the sender plainly and close the conversation."""
    data = context.bot_data
    await data.store.users.mark_blocked(other)
    await close_conversation(cast(App, context.application), conversation, "undeliverable")
    user = update.effective_user
    if user is None:
        return
    lang = await user_language(context, user)
    if user.id == conversation.member_id:
        group = await data.store.groups.get(conversation.chat_id)
        country = group.crisis_country if group else data.settings.default_country
        await reply(
            update,
            context,
            "talk.undeliverable_member",
            role=helper_role(data, lang, conversation.kind),
            lines=data.crisis.render(data.texts, lang, country),
        )
    else:
        await reply(update, context, "talk.undeliverable_helper")


async def end_command(update: Update, context: Context) -> None:
    """/end: close the open conversation for both sides (or withdraw a waiting request)."""
    from bot.handlers import talk

    user = update.effective_user
    if user is None:
        return
    clear_waiting(context)
    app = cast(App, context.application)
    data = context.bot_data
    conversation = await data.store.talk.active_for(user.id)
    if conversation is None:
        await reply(update, context, "talk.nothing_to_end")
        return
    if conversation.status == PENDING:
        if await talk.withdraw(app, conversation):
            await reply(update, context, "talk.withdrawn")
        return
    if not await close_conversation(app, conversation, "ended", ended_by=user.id):
        await reply(update, context, "talk.nothing_to_end")
        return
    lang = await user_language(context, user)
    if user.id == conversation.member_id:
        await reply(
            update,
            context,
            "talk.end_you_member",
            reply_markup=avoid_markup(data, lang, conversation),
        )
    else:
        await reply(update, context, "talk.end_you_helper")


async def share_command(update: Update, context: Context) -> None:
    """/share: show the other side who I am on Telegram (only ever by my own choice)."""
    user = update.effective_user
    if user is None:
        return
    conversation = await context.bot_data.store.talk.active_for(user.id)
    if conversation is None or conversation.status != OPEN:
        await reply(update, context, "talk.nothing_to_share")
        return
    await _share(update, context, conversation)


async def _share(update: Update, context: Context, conversation: Conversation) -> None:
    user = update.effective_user
    if user is None:
        return
    data = context.bot_data
    other = conversation.other_side(user.id)
    if other is None:
        return
    other_lang = await language_of(data, other)
    key = "talk.shared_by_member" if user.id == conversation.member_id else "talk.shared_by_helper"
    sent = await send_private(
        context.bot,
        data,
        other,
        t(
            data,
            other_lang,
            key,
            who=who(user),
            role=helper_role(data, other_lang, conversation.kind),
        ),
    )
    lang = await user_language(context, user)
    text = t(data, lang, "talk.shared_you" if sent else "talk.not_delivered")
    await send_private(context.bot, data, user.id, text)


async def on_callback(update: Update, context: Context) -> None:
    """Buttons inside a conversation: share my account, end and block, don't match again."""
    query = update.callback_query
    if query is None or query.data is None or query.message is None:
        return
    data = context.bot_data
    lang = await user_language(context, query.from_user)
    parts = query.data.split(":")
    conversation = None
    if len(parts) == 3 and parts[2].isdigit():
        conversation = await data.store.talk.get(int(parts[2]))
    verb = parts[1]
    user_id = query.from_user.id
    if conversation is None:
        await query.answer(t(data, lang, "common.stale"), show_alert=True)
        return
    if user_id not in (conversation.member_id, conversation.helper_id):
        await query.answer(t(data, lang, "common.not_for_you"), show_alert=True)
        return
    if verb == "share":
        if conversation.status != OPEN:
            await query.answer(t(data, lang, "talk.nothing_to_share"), show_alert=True)
            return
        await query.answer()
        await _share(update, context, conversation)
    elif verb in ("blk", "blky", "blkn"):
        if user_id != conversation.helper_id or conversation.status != OPEN:
            await query.answer(t(data, lang, "common.stale"), show_alert=True)
            return
        await query.answer()
        await _block_step(update, context, conversation, verb, lang)
    elif verb == "avoid":
        if (
            user_id != conversation.member_id
            or conversation.kind != LISTENER
            or conversation.helper_id is None
        ):
            await query.answer(t(data, lang, "common.stale"), show_alert=True)
            return
        await data.store.talk.avoid(conversation.member_id, conversation.helper_id)
        await query.answer(t(data, lang, "talk.avoid_done"), show_alert=True)
        await query.edit_message_reply_markup(reply_markup=None)
    else:
        await query.answer(t(data, lang, "common.stale"), show_alert=True)


async def _block_step(
    update: Update, context: Context, conversation: Conversation, verb: str, lang: str
) -> None:
    """A helper ends the conversation and asks not to get this person's requests again."""
    query = update.callback_query
    if query is None or query.message is None:
        return
    data = context.bot_data
    if verb == "blk":
        await send_private(
            context.bot,
            data,
            query.from_user.id,
            t(data, lang, "talk.block_confirm"),
            reply_markup=keyboard(
                [button(t(data, lang, "talk.block_yes"), f"talk:blky:{conversation.id}")],
                [button(t(data, lang, "talk.block_no"), f"talk:blkn:{conversation.id}")],
            ),
        )
        return
    if verb == "blkn":
        await edit_quietly(
            context.bot,
            query.message.chat.id,
            query.message.message_id,
            t(data, lang, "talk.block_kept"),
        )
        return
    helper_id = query.from_user.id
    app = cast(App, context.application)
    if not await close_conversation(app, conversation, "blocked", ended_by=helper_id):
        return
    await data.store.talk.block(helper_id, conversation.member_id, conversation.chat_id)
    await data.store.audit.record(
        "talk_block",
        chat_id=conversation.chat_id,
        actor_id=helper_id,
        target_id=conversation.member_id,
    )
    log.info("talk conversation %s ended with a block", conversation.id)
    await edit_quietly(
        context.bot,
        query.message.chat.id,
        query.message.message_id,
        t(data, lang, "talk.block_done"),
    )


async def idle_job(app: App, action: ScheduledAction) -> None:
    """A quiet conversation closes itself (with notice to both); a lively one is checked later."""
    data = app.bot_data
    conversation = await data.store.talk.get(int(action.payload.get("conversation", 0)))
    if conversation is None or conversation.status != OPEN:
        return
    idle = policy(data).idle_seconds
    last = conversation.last_activity_at or conversation.accepted_at or conversation.created_at
    if data.clock.epoch() - last >= idle:
        await close_conversation(app, conversation, "idle")
        return
    await data.scheduler.schedule(
        app,
        action.kind,
        last + idle,
        chat_id=conversation.chat_id,
        user_id=conversation.member_id,
        payload={"conversation": conversation.id},
    )


def handlers() -> list[BaseHandler[Update, Context, None]]:
    """Registered after every other command, before the private-chat fallbacks."""
    return [
        CommandHandler("end", end_command, filters=PRIVATE),
        CommandHandler("share", share_command, filters=PRIVATE),
        CallbackQueryHandler(on_callback, pattern=r"^talk:(share|blk|blky|blkn|avoid):"),
        MessageHandler(
            PRIVATE & ~filters.COMMAND & filters.UpdateType.MESSAGE, on_private_message
        ),
    ]
