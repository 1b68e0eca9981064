"""What holds a member back from posting, from more than one feature: the rules gate (until they
agree) and a mute (until it ends). Telegram keeps one restriction per member, so every feature
that restricts or lifts asks here first, and no feature undoes another's hold."""

from __future__ import annotations

from bot.context import BotData


async def waiting_at_gate(data: BotData, chat_id: int, user_id: int) -> bool:
    """A newcomer held read-only until they agree to the rules."""
    entry = await data.store.rules.gate_get(chat_id, user_id)
    return entry is not None and entry.restricted


async def muted_until(data: BotData, chat_id: int, user_id: int) -> int | None:
    """When the mute in force ends (epoch seconds), or None if there is none."""
    mute = await data.store.moderation.active_sanction(chat_id, user_id, "mute")
    return mute.ends_at if mute is not None else None
