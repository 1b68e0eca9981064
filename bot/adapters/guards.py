"""Who is acting, and whether they may: a person, or the group's anonymous administrator."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Chat, Message, Update

from bot.adapters.admins import ANONYMOUS_ADMIN_ID
from bot.adapters.replies import reply
from bot.context import Context
from bot.people import GROUP_TYPES


@dataclass(frozen=True)
class Actor:
    """Who is acting: a person, or the group's anonymous administrator (``user_id`` None)."""

    user_id: int | None
    anonymous_admin: bool = False

    @property
    def audit_id(self) -> int | None:
        """Who acted, as the audit log keeps it: the person, or the anonymous administrator's
        account (so a record reads "an anonymous administrator", never "Pamoja")."""
        return ANONYMOUS_ADMIN_ID if self.user_id is None else self.user_id


def is_group(chat: Chat | None) -> bool:
    return chat is not None and chat.type in GROUP_TYPES


def is_anonymous_admin(message: Message) -> bool:
    """Sent by an anonymous administrator: Telegram signs it with the group itself."""
    sender_chat = message.sender_chat
    if sender_chat is not None and sender_chat.id == message.chat.id:
        return True
    return message.from_user is not None and message.from_user.id == ANONYMOUS_ADMIN_ID


async def group_admin(update: Update, context: Context, *, fresh: bool = False) -> Actor | None:
    """The acting administrator of the group, or ``None`` after a kind refusal."""
    message = update.effective_message
    chat = update.effective_chat
    if message is None or chat is None or not is_group(chat):
        return None
    if is_anonymous_admin(message):
        return Actor(user_id=None, anonymous_admin=True)
    user = message.from_user
    if user is not None and await context.bot_data.admins.is_admin(
        context.bot, chat.id, user.id, fresh=fresh
    ):
        return Actor(user_id=user.id)
    await reply(update, context, "common.admins_only")
    return None
