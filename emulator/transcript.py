"""Human-readable rendering of what people in the chats saw, for the demo and for tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from emulator.keyboards import button_labels
from emulator.world import Event, Message

if TYPE_CHECKING:
    from emulator.state import World

_SNIPPET = 40


def when(epoch: int) -> str:
    """An until_date as people read it; 0 is Telegram's 'forever'."""
    if not epoch:
        return "forever"
    moment = dt.datetime.fromtimestamp(epoch, tz=dt.UTC)
    return "until " + moment.strftime("%Y-%m-%d %H:%M UTC")


def snippet(text: str | None) -> str:
    text = (text or "").replace("\n", " ")
    return text if len(text) <= _SNIPPET else text[: _SNIPPET - 1] + "…"


def _media_label(message: Message) -> str:
    media = message.media
    if media is None:
        return ""
    if media.kind == "document":
        return f"📎 {media.file_name or 'file'}"
    if media.kind == "photo":
        return "🖼 photo"
    if media.kind == "voice":
        return f"🎤 voice message ({media.duration}s)"
    if media.kind == "sticker":
        return f"[sticker {media.emoji or ''}]".replace(" ]", "]")
    if media.kind == "video":
        return f"🎬 {media.file_name or 'video'}"
    return f"🎵 {media.title or media.file_name or 'audio'}"


def describe_message(world: World, message: Message) -> str:
    parts: list[str] = []
    origin = message.forward_origin
    if origin:
        source = origin.get("sender_user") or origin.get("sender_chat") or {}
        name = source.get("first_name") or source.get("title") or origin.get("sender_user_name")
        parts.append(f"[forwarded from {name or 'someone'}]")
    if message.reply_to is not None:
        replied = world.chats[message.chat_id].messages.get(message.reply_to)
        if replied is not None:
            who = world.display_name(replied.sender_id)
            parts.append(f"(↩ {who}: “{snippet(replied.text or replied.caption)}”)")
    if message.thread_id is not None:
        topic = world.chats[message.chat_id].topics.get(message.thread_id, "?")
        parts.append(f"[topic: {topic}]")
    label = _media_label(message)
    if label:
        parts.append(label)
    if message.poll is not None:
        options = " / ".join(option["text"] for option in message.poll["options"])
        parts.append(f"[poll: {message.poll['question']} — {options}]")
    body = message.text if message.text is not None else message.caption
    if body:
        parts.append(body)
    buttons = " ".join(
        f"[{label}]" for row in button_labels(message.reply_markup) for label in row
    )
    if buttons:
        parts.append(buttons)
    return " ".join(parts)


def sender_name(world: World, message: Message) -> str:
    if message.sender_chat_id is not None:
        return world.chat_label(message.sender_chat_id)
    return world.display_name(message.sender_id)


def render(world: World, events: Iterable[Event]) -> str:
    lines: list[str] = []
    for event in events:
        label = world.chat_label(event.chat_id)
        if event.service:
            lines.append(f"[{label}] * {event.text}")
        else:
            lines.append(f"[{label}] {event.actor}: {event.text}")
    return "\n".join(lines)
