"""What the bot passes on inside a one-to-one conversation."""

from __future__ import annotations

from telegram import Message

# Text and the media a person would usually send. Contacts and locations are not passed on:
# they would reveal who or where someone is, which the relay exists to protect.
RELAYED = ("text", "voice", "photo", "sticker", "document", "video", "audio", "video_note")


def relayable(message: Message) -> bool:
    return any(getattr(message, kind, None) for kind in RELAYED) or message.animation is not None


def topic_line(text: str | None, max_chars: int) -> str | None:
    """The optional line about the topic: trimmed, one line, not too long; None if empty."""
    if text is None:
        return None
    line = " ".join(text.split())
    if not line:
        return None
    if len(line) > max_chars:
        line = line[: max_chars - 1].rstrip() + "…"
    return line
