"""The support lines a group shows: its own lines, then those of its chosen country.

Every place that shows lines (``/talk`` when no one is free, ``/supportnow``, the support
offered after an exclusion) asks here, so each group's choice holds everywhere.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.crisis import OwnLine

if TYPE_CHECKING:
    from bot.context import BotData
    from bot.i18n import Safe


async def for_group(data: BotData, lang: str, chat_id: int | None) -> Safe:
    """The group's lines in the reader's language (the deployment's country's without one)."""
    group = await data.store.groups.get(chat_id) if chat_id is not None else None
    if group is None:
        return data.crisis.render(data.texts, lang, data.settings.default_country)
    own = [
        OwnLine(line.name, line.number, line.hours)
        for line in await data.store.groups.lines(group.chat_id)
    ]
    return data.crisis.render(
        data.texts, lang, group.crisis_country, emergency=group.show_emergency, own=own
    )


async def for_member(data: BotData, lang: str, member_id: int) -> Safe:
    """The lines of the member's group (the first the bot knows them in), else the default."""
    for chat_id in await data.store.users.groups_of(member_id):
        if await data.store.groups.get(chat_id) is not None:
            return await for_group(data, lang, chat_id)
    return await for_group(data, lang, None)
