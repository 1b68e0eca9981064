"""What the talk handlers share: languages by id, closing a conversation, waiting inputs."""

from __future__ import annotations

import html
import logging
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, User
from telegram.constants import ChatMemberStatus
from telegram.error import TelegramError

from bot.adapters.replies import edit_quietly, send_private
from bot.context import App, BotData, Context
from bot.i18n import Safe
from bot.people import language_of
from bot.storage.talk import CLOSED, Conversation
from bot.talk.routing import ADMIN

log = logging.getLogger(__name__)

# What the next private message of a person is for (kept in memory only, never stored).
AWAITING = "talk_awaiting"
FEEDBACK_DRAFT = "talk_feedback_draft"

IDLE_JOB = "talk_idle"
EXPIRE_JOB = "talk_expire"

MAX_GROUPS_TO_ASK = 50
PRESENT = {
    ChatMemberStatus.MEMBER,
    ChatMemberStatus.ADMINISTRATOR,
    ChatMemberStatus.OWNER,
    ChatMemberStatus.RESTRICTED,
}


def t(data: BotData, lang: str, key: str, **values: Any) -> Safe:
    return data.texts.t(lang, key, **values)


def button(text: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=data)


def keyboard(*rows: list[InlineKeyboardButton]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([list(row) for row in rows])


def helper_role(data: BotData, lang: str, kind: str) -> Safe:
    """How the member hears of the person who accepted: an administrator or a peer listener."""
    return t(data, lang, "talk.role_admin" if kind == ADMIN else "talk.role_listener")


def who(user: User) -> Safe:
    """A person's Telegram account, as they choose to share it: @username, else a link."""
    if user.username:
        return Safe("@" + html.escape(user.username))
    name = html.escape(user.first_name or str(user.id))
    return Safe(f'<a href="tg://user?id={user.id}">{name}</a>')


def clear_waiting(context: Context) -> None:
    if context.user_data is not None:
        context.user_data.pop(AWAITING, None)
        context.user_data.pop(FEEDBACK_DRAFT, None)


async def close_conversation(
    app: App, conversation: Conversation, reason: str, *, ended_by: int | None = None
) -> bool:
    """Close an open conversation for both sides, each with a short, kind closing line.

    ``reason`` is ``ended`` (someone used /end), ``blocked``, ``idle`` or ``undeliverable``.
    The one who ended it and anyone the bot cannot reach any more get no closing line here.
    """
    data = app.bot_data
    if not await data.store.talk.finish(conversation.id, CLOSED, reason):
        return False
    await data.scheduler.cancel(
        app, IDLE_JOB, chat_id=conversation.chat_id, user_id=conversation.member_id
    )
    log.info("talk conversation %s closed (%s)", conversation.id, reason)
    helper_id = conversation.helper_id
    if reason == "undeliverable":
        return True
    idle_hours = _idle_hours(data)
    for user_id, is_member in ((conversation.member_id, True), (helper_id, False)):
        if user_id is None or user_id == ended_by:
            continue
        lang = await language_of(data, user_id)
        if reason == "idle":
            key = "talk.end_idle_member" if is_member else "talk.end_idle_helper"
        else:
            key = "talk.end_other_member" if is_member else "talk.end_other_helper"
        text = t(
            data, lang, key, role=helper_role(data, lang, conversation.kind), hours=idle_hours
        )
        markup = avoid_markup(data, lang, conversation) if is_member else None
        await send_private(app.bot, data, user_id, text, reply_markup=markup)
    return True


def _idle_hours(data: BotData) -> int:
    from bot.talk.policy import policy

    return policy(data).idle_hours


def avoid_markup(
    data: BotData, lang: str, conversation: Conversation
) -> InlineKeyboardMarkup | None:
    """After a conversation with a peer listener: "don't match me with them again"."""
    if conversation.kind == ADMIN:
        return None
    return keyboard([button(t(data, lang, "talk.avoid_button"), f"talk:avoid:{conversation.id}")])


async def settle_offers(
    app: App,
    conversation_id: int,
    key: str,
    *,
    keep: int | None = None,
    skip_declined: bool = False,
) -> None:
    """Replace every copy of a request (but ``keep``) with a short note, then forget them."""
    data = app.bot_data
    for offer in await data.store.talk.offers(conversation_id):
        if offer.id == keep or (skip_declined and offer.status == "declined"):
            continue
        if offer.helper_id is None:
            group = await data.store.groups.by_admin_chat(offer.message_chat_id)
            lang = group.language if group else data.settings.default_language
        else:
            lang = await language_of(data, offer.helper_id)
        await edit_quietly(app.bot, offer.message_chat_id, offer.message_id, t(data, lang, key))
    await data.store.talk.clear_offers(conversation_id)


async def groups_of(context: Context, user_id: int) -> list[int]:
    """The person's groups, including those they are temporarily excluded from (continued
    support: they can still /talk to that group's people). People who were in a group before
    Pamoja joined it have no record yet: the bot asks Telegram about each active group once."""
    store = context.bot_data.store
    excluded = await store.moderation.excluded_from(user_id)
    known = await store.users.groups_of(user_id)
    if known or excluded:
        return sorted(set(known) | set(excluded))
    for group in (await store.groups.active())[:MAX_GROUPS_TO_ASK]:
        try:
            member = await context.bot.get_chat_member(group.chat_id, user_id)
        except TelegramError:
            continue
        if member.status in PRESENT:
            await store.users.set_membership(group.chat_id, user_id, str(member.status))
    return sorted(set(await store.users.groups_of(user_id)) | set(excluded))
