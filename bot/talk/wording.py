"""The phrases the talk services and handlers share: who the helper is, the topic, the lines."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.groups import lines
from bot.talk.routing import ADMIN

if TYPE_CHECKING:
    from bot.context import BotData
    from bot.i18n import Safe


def helper_role(data: BotData, lang: str, kind: str) -> Safe:
    """How the member hears of the person who accepted: an administrator or a peer listener."""
    return data.texts.t(lang, "talk.role_admin" if kind == ADMIN else "talk.role_listener")


def about(data: BotData, lang: str, topic: str | None) -> Safe:
    """The line about the topic in a request, or that none was given."""
    if topic:
        return data.texts.t(lang, "talk.offer_topic", topic=topic)
    return data.texts.t(lang, "talk.offer_no_topic")


async def crisis_lines(data: BotData, lang: str, chat_id: int) -> Safe:
    """The group's support lines (its own and its country's), in the reader's language."""
    return await lines.for_group(data, lang, chat_id)
