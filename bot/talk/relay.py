"""The relay: while a conversation is open, each side's messages reach the other through the bot.

Messages are copied (``copyMessage``), so neither side sees the other's account unless they
choose to share it. Nothing said is stored or logged. A message that cannot be delivered is
reported to its sender, never dropped silently. Here too: closing a conversation (by /end, a
block, silence, or a side the bot cannot reach), and sharing one's account.
"""

from __future__ import annotations

import logging
from enum import Enum
from typing import TYPE_CHECKING

from telegram import Message, User

from bot.adapters.keyboards import mention
from bot.delivery import outbox
from bot.errors import NotForYouError, RefusedError, StaleButtonError
from bot.people import language_of
from bot.records.outbox import Outgoing
from bot.records.talk import CLOSED, OPEN, Conversation
from bot.talk import FEATURE
from bot.talk.callbacks import avoid_buttons
from bot.talk.policy import policy
from bot.talk.routing import LISTENER
from bot.talk.wording import helper_role

if TYPE_CHECKING:
    from bot.context import App, BotData

log = logging.getLogger(__name__)

# The scheduled check that closes a quiet conversation (payload: conversation).
IDLE = f"{FEATURE}.idle"

# Text and the media a person would usually send. Contacts and locations are not passed on:
# they would reveal who or where someone is, which the relay exists to protect.
# The outbox kind of a relayed message, and the refusals that mean the other side has gone.
RELAY = "relay"
GONE = ("forbidden", "chat_not_found")

RELAYED = ("text", "voice", "photo", "sticker", "document", "video", "audio", "video_note")


class Relayed(Enum):
    """What became of one message in a conversation."""

    PASSED_ON = "passed_on"
    NOT_RELAYABLE = "not_relayable"  # a contact, a location: never passed on
    NOT_DELIVERED = "not_delivered"  # Telegram refused this one message
    NOT_DELIVERED_TOLD = "not_delivered_told"  # refused, and the sender has been told
    OTHER_SIDE_GONE = "other_side_gone"  # the other side blocked the bot: closed


def relayable(message: Message) -> bool:
    return any(getattr(message, kind, None) for kind in RELAYED) or message.animation is not None


async def relay(app: App, conversation: Conversation, sender_id: int, message: Message) -> Relayed:
    """Copy one message to the other side; a side that has gone closes the conversation."""
    data = app.bot_data
    other = conversation.other_side(sender_id)
    if other is None:
        return Relayed.NOT_DELIVERED
    if not relayable(message):
        return Relayed.NOT_RELAYABLE
    # Through the outbox: copied in order, retried until it arrives. Only the message's place
    # is written (never what it says); its text stays in memory to recognise a copy whose
    # answer was lost.
    sender_lang = await language_of(data, sender_id)
    row = await outbox.enqueue(
        app,
        other,
        "",
        kind=RELAY,
        copy_from=(message.chat.id, message.message_id),
        ref=conversation.id,
        fail_chat=sender_id,
        fail_text=data.texts.t(sender_lang, "talk.not_delivered"),
        copied_text=message.text_html if message.text else None,
    )
    result = await outbox.deliver_now(app, row)
    if result == outbox.FAILED:
        if await outbox.reason(app, row) in GONE:
            return await _other_side_gone(app, conversation, other)
        log.info("talk relay: message not delivered")
        return Relayed.NOT_DELIVERED_TOLD
    await data.store.talk.touch(conversation.id)
    return Relayed.PASSED_ON


async def relay_given_up(app: App, message: Outgoing, reason: str) -> None:
    """A relayed message Telegram kept refusing (its sender was told by the outbox); if the
    other side has gone, the conversation closes."""
    if reason not in GONE or message.ref is None:
        return
    conversation = await app.bot_data.store.talk.get(message.ref)
    if conversation is not None and conversation.status == OPEN:
        await _other_side_gone(app, conversation, message.chat_id)


async def _other_side_gone(app: App, conversation: Conversation, other: int) -> Relayed:
    await app.bot_data.store.users.mark_blocked(other)
    await close(app, conversation, "undeliverable")
    return Relayed.OTHER_SIDE_GONE


async def close(
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
        app, IDLE, chat_id=conversation.chat_id, user_id=conversation.member_id
    )
    log.info("talk conversation %s closed (%s)", conversation.id, reason)
    if reason == "undeliverable":
        return True
    idle_hours = policy(data).idle_hours
    for user_id, is_member in ((conversation.member_id, True), (conversation.helper_id, False)):
        if user_id is None or user_id == ended_by:
            continue
        lang = await language_of(data, user_id)
        if reason == "idle":
            key = "talk.end_idle_member" if is_member else "talk.end_idle_helper"
        else:
            key = "talk.end_other_member" if is_member else "talk.end_other_helper"
        text = data.texts.t(
            lang, key, role=helper_role(data, lang, conversation.kind), hours=idle_hours
        )
        markup = avoid_buttons(data, lang, conversation) if is_member else None
        await outbox.send_critical(app, user_id, text, kind="talk", reply_markup=markup)
    return True


async def close_if_idle(app: App, conversation_id: int) -> None:
    """A quiet conversation closes itself (with notice to both); a lively one is checked later."""
    data = app.bot_data
    conversation = await data.store.talk.get(conversation_id)
    if conversation is None or conversation.status != OPEN:
        return
    idle = policy(data).idle_seconds
    last = conversation.last_activity_at or conversation.accepted_at or conversation.created_at
    if data.clock.epoch() - last >= idle:
        await close(app, conversation, "idle")
        return
    await watch_idle(app, conversation, last + idle)


async def watch_idle(app: App, conversation: Conversation, due_at: int) -> None:
    """Check at ``due_at`` whether the conversation has gone quiet."""
    await app.bot_data.scheduler.schedule(
        app,
        IDLE,
        due_at,
        chat_id=conversation.chat_id,
        user_id=conversation.member_id,
        payload={"conversation": conversation.id},
    )


async def part_of(data: BotData, conversation_id: int, user_id: int) -> Conversation:
    """The conversation a button is about, if this person is one of its two sides."""
    conversation = await data.store.talk.get(conversation_id)
    if conversation is None:
        raise StaleButtonError
    if user_id not in (conversation.member_id, conversation.helper_id):
        raise NotForYouError
    return conversation


async def open_one(data: BotData, user_id: int) -> Conversation:
    """The person's open conversation (for /share)."""
    conversation = await data.store.talk.active_for(user_id)
    if conversation is None or conversation.status != OPEN:
        raise RefusedError("talk.nothing_to_share")
    return conversation


async def share(app: App, conversation: Conversation, user: User) -> bool:
    """Show the other side who I am on Telegram (only ever by my own choice)."""
    data = app.bot_data
    if conversation.status != OPEN:
        raise RefusedError("talk.nothing_to_share")
    other = conversation.other_side(user.id)
    if other is None:
        return False
    other_lang = await language_of(data, other)
    key = "talk.shared_by_member" if user.id == conversation.member_id else "talk.shared_by_helper"
    text = data.texts.t(
        other_lang, key, who=mention(user), role=helper_role(data, other_lang, conversation.kind)
    )
    return await outbox.send_critical(app, other, text, kind="talk") != outbox.FAILED


def may_block(conversation: Conversation, user_id: int) -> None:
    """Only the helper of an open conversation ends it with a block."""
    if user_id != conversation.helper_id or conversation.status != OPEN:
        raise StaleButtonError


async def block(app: App, conversation: Conversation, helper_id: int) -> bool:
    """A helper ends the conversation and asks not to get this person's requests again."""
    data = app.bot_data
    may_block(conversation, helper_id)
    if not await close(app, conversation, "blocked", ended_by=helper_id):
        return False
    await data.store.talk.block(helper_id, conversation.member_id, conversation.chat_id)
    await data.store.audit.record(
        "talk_block",
        chat_id=conversation.chat_id,
        actor_id=helper_id,
        target_id=conversation.member_id,
    )
    log.info("talk conversation %s ended with a block", conversation.id)
    return True


async def avoid(data: BotData, conversation: Conversation, user_id: int) -> None:
    """The member asks not to be matched with this peer listener again."""
    if (
        user_id != conversation.member_id
        or conversation.kind != LISTENER
        or conversation.helper_id is None
    ):
        raise StaleButtonError
    await data.store.talk.avoid(conversation.member_id, conversation.helper_id)
