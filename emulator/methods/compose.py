"""Composing the bot's outgoing messages: text/caption formatting, replies, posting."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from emulator.errors import bad_request
from emulator.formatting import (
    MAX_CAPTION_LENGTH,
    MAX_TEXT_LENGTH,
    format_text,
    plain_length,
)
from emulator.params import Params
from emulator.rules import log_message
from emulator.world import JSON, Chat, Message

if TYPE_CHECKING:
    from emulator.state import World


def explicit_entities(params: Params, name: str) -> list[JSON] | None:
    value = params.decoded(name, "entities")
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(e, dict) for e in value):
        raise bad_request(f"can't parse {name} JSON object")
    return [dict(e) for e in value]


def message_text(params: Params, field: str = "text") -> tuple[str, list[JSON]]:
    raw = params.text(field)
    if not raw:
        raise bad_request("message text is empty")
    text, entities = format_text(
        raw, params.text("parse_mode"), explicit_entities(params, "entities")
    )
    if not text:
        raise bad_request("message text is empty")
    if plain_length(text) > MAX_TEXT_LENGTH:
        raise bad_request("message is too long")
    return text, entities


def caption(params: Params) -> tuple[str | None, list[JSON]]:
    raw = params.text("caption")
    if not raw:
        return None, []
    text, entities = format_text(
        raw, params.text("parse_mode"), explicit_entities(params, "caption_entities")
    )
    if plain_length(text) > MAX_CAPTION_LENGTH:
        raise bad_request("message caption is too long")
    return text or None, entities


def reply_target(chat: Chat, params: Params) -> int | None:
    """reply_parameters (or the older reply_to_message_id) within the same chat."""
    parameters: Any = params.decoded("reply_parameters", "reply parameters")
    if isinstance(parameters, dict):
        message_id = parameters.get("message_id")
        allow_missing = bool(parameters.get("allow_sending_without_reply", False))
        other_chat = parameters.get("chat_id")
        if other_chat is not None and str(other_chat) != str(chat.id):
            return None  # replies to other chats are quoted, not threaded; not emulated
    else:
        message_id = params.integer("reply_to_message_id")
        allow_missing = params.flag("allow_sending_without_reply")
    if message_id is None:
        return None
    try:
        message_id = int(message_id)
    except (TypeError, ValueError):
        raise bad_request("invalid reply_parameters specified") from None
    target = chat.messages.get(message_id)
    if target is None or target.deleted:
        if allow_missing:
            return None
        raise bad_request("message to be replied not found")
    return message_id


def post(world: World, chat: Chat, **fields: object) -> Message:
    """Create, log and return a message from the bot (flood limits apply when enforced)."""
    if world.enforce_flood_limits:
        world.check_flood(chat)
    message = world.new_message(chat, world.bot.id, **fields)
    log_message(world, message)
    return message


def thread_target(chat: Chat, params: Params, reply_to: int | None) -> int | None:
    """The forum topic a bot's message goes to: ``message_thread_id`` (which must name a topic
    of a forum), else the topic of the message it replies to; ignored outside forums."""
    if not chat.is_forum:
        return None
    thread_id = params.integer("message_thread_id")
    if thread_id is None:
        replied = chat.messages.get(reply_to) if reply_to is not None else None
        return replied.thread_id if replied is not None else None
    if thread_id not in chat.topics:
        raise bad_request("message thread not found")
    return thread_id
