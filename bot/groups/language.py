"""Each member picks their own language; an administrator picks the group's."""

from __future__ import annotations

from bot.context import BotData
from bot.errors import StaleButtonError
from bot.settings import SUPPORTED_LANGUAGES


def checked(code: str) -> str:
    """A language the bot speaks, else the choice is stale (forged or from an old menu)."""
    if code not in SUPPORTED_LANGUAGES:
        raise StaleButtonError
    return code


async def set_personal(data: BotData, user_id: int, code: str) -> None:
    await data.store.users.set_language(user_id, checked(code))


async def set_for_group(data: BotData, chat_id: int, actor_id: int | None, code: str) -> None:
    await data.store.groups.update_setting(chat_id, "language", checked(code))
    await data.store.audit.record(
        "rules_settings", chat_id=chat_id, actor_id=actor_id, detail=f"language={code}"
    )
