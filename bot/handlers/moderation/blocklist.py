"""The blocklist gate (handler group BLOCKLIST): people excluded for good as solicitors are kept
out of every group of the deployment before anything else runs — a join request is declined, a
rejoin undone, a message removed."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatMemberStatus
from telegram.ext import (
    ApplicationHandlerStop,
    ChatJoinRequestHandler,
    ChatMemberHandler,
    MessageHandler,
)

from bot.adapters.filters import GROUP_MESSAGES
from bot.context import Context
from bot.handlers.feature import Handler
from bot.moderation import measures


async def gate_join_request(update: Update, context: Context) -> None:
    request = update.chat_join_request
    if request is None:
        return
    if not await measures.is_blocked(context.app, request.from_user.id):
        return
    await measures.decline_join_request(context.app, request.chat.id, request.from_user.id)
    raise ApplicationHandlerStop


async def gate_member(update: Update, context: Context) -> None:
    change = update.chat_member
    if change is None:
        return
    new = change.new_chat_member
    if new.status not in (ChatMemberStatus.MEMBER, ChatMemberStatus.RESTRICTED):
        return
    if new.status == ChatMemberStatus.RESTRICTED and not getattr(new, "is_member", True):
        return
    if not await measures.is_blocked(context.app, new.user.id):
        return
    await measures.undo_rejoin(context.app, change.chat.id, new.user.id)
    raise ApplicationHandlerStop


async def gate_message(update: Update, context: Context) -> None:
    message = update.effective_message
    if message is None or message.from_user is None:
        return
    if not await measures.is_blocked(context.app, message.from_user.id):
        return
    await measures.remove_blocked_sender(
        context.app, message.chat.id, message.from_user.id, message.message_id
    )
    raise ApplicationHandlerStop


def gates() -> list[Handler]:
    return [
        ChatJoinRequestHandler(gate_join_request),
        ChatMemberHandler(gate_member, ChatMemberHandler.CHAT_MEMBER),
        # Any message by someone on the blocklist (checked in memory: cheap on every message).
        MessageHandler(GROUP_MESSAGES, gate_message),
    ]
