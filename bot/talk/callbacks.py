"""The talk feature's button data (``talk:<verb>:<args>``) and the keyboards its services send.

Every verb is a word; ``bot/handlers/talk`` maps each to its handler through one
``callback_handler``. Old short verbs (``acc``, ``blky``, ...) are stale buttons now.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from telegram import InlineKeyboardMarkup

from bot.adapters.keyboards import button, keyboard
from bot.records.talk import Conversation
from bot.talk import FEATURE
from bot.talk.routing import ADMIN, LISTENER

if TYPE_CHECKING:
    from bot.context import BotData


# Asking: which group's people, who to talk with, the topic line.
GROUP = "group"  # chat_id
KIND = "kind"  # chat_id, kind
ASK_AGAIN = "ask_again"  # chat_id, kind — from the message with the crisis lines
SKIP_TOPIC = "skip_topic"  # chat_id, kind
STOP_ASKING = "stop_asking"  # chat_id — Cancel under the topic prompt: nothing is sent
# Answering a request.
ACCEPT = "accept"  # conversation_id
DECLINE = "decline"  # conversation_id
DECLINE_BLOCK = "decline_block"  # conversation_id — a peer: not now, and not from this person
# Inside a conversation, and after it.
SHARE = "share"  # conversation_id
BLOCK = "block"  # conversation_id
BLOCK_YES = "block_yes"  # conversation_id
BLOCK_NO = "block_no"  # conversation_id
AVOID = "avoid"  # conversation_id
ANY_PEER = "any_peer"  # chat_id — after "not available": any willing peer, no preference
# Peer listeners.
LISTEN_ON = "listen_on"  # chat_id or ALL_GROUPS
LISTEN_OFF = "listen_off"  # chat_id or ALL_GROUPS
ALL_GROUPS = "all"
# Anonymous feedback.
FEEDBACK_GROUP = "feedback_group"  # chat_id
FEEDBACK_SEND = "feedback_send"
FEEDBACK_CANCEL = "feedback_cancel"

KINDS = (ADMIN, LISTENER)


def offer_buttons(
    data: BotData, lang: str, conversation_id: int, *, team: bool = False, peer: bool = False
) -> InlineKeyboardMarkup:
    """Accept (and, for a person, Not now; for a peer, also Not from this person)."""
    accept = button(data.texts.t(lang, "talk.accept"), FEATURE, ACCEPT, conversation_id)
    if team:
        return keyboard([accept])
    decline = button(data.texts.t(lang, "talk.decline"), FEATURE, DECLINE, conversation_id)
    if not peer:
        return keyboard([accept, decline])
    label = data.texts.t(lang, "peers.decline_block")
    return keyboard([accept, decline], [button(label, FEATURE, DECLINE_BLOCK, conversation_id)])


def connected_buttons(
    data: BotData, lang: str, conversation_id: int, *, helper: bool
) -> InlineKeyboardMarkup:
    """Share my account (and, for the helper, end and block)."""
    rows = [[button(data.texts.t(lang, "talk.share_button"), FEATURE, SHARE, conversation_id)]]
    if helper:
        label = data.texts.t(lang, "talk.block_button")
        rows.append([button(label, FEATURE, BLOCK, conversation_id)])
    return keyboard(*rows)


def avoid_buttons(
    data: BotData, lang: str, conversation: Conversation
) -> InlineKeyboardMarkup | None:
    """After a conversation with a peer listener: "don't match me with them again"."""
    if conversation.kind == ADMIN:
        return None
    label = data.texts.t(lang, "talk.avoid_button")
    return keyboard([button(label, FEATURE, AVOID, conversation.id)])


def try_admin_buttons(
    data: BotData, lang: str, chat_id: int, *, any_peer: bool = False
) -> InlineKeyboardMarkup:
    """No peer listener was free: ask an administrator instead (or, after a request to a
    peer, any willing peer)."""
    label = data.texts.t(lang, "talk.try_admin")
    rows = [[button(label, FEATURE, ASK_AGAIN, chat_id, ADMIN)]]
    if any_peer:
        rows.append([button(data.texts.t(lang, "peers.try_any_peer"), FEATURE, ANY_PEER, chat_id)])
    return keyboard(*rows)
