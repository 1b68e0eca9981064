"""The guided edit: an administrator writes a group's new rules in the private chat.

What the bot awaits lives in the database (``store.awaiting``, kind ``rules.writing``, the
group's id in the payload), so an edit begun before a restart continues after it, and an edit
left alone for half an hour lapses: the person's next words reach the rest of the bot. The text
they write is never kept there — only the new rules version it becomes.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from telegram.error import BadRequest, Forbidden

from bot.errors import AdminsOnlyError, RefusedError
from bot.rules import pinning
from bot.rules.callbacks import FEATURE
from bot.rules.versions import new_version

if TYPE_CHECKING:
    from bot.context import App, BotData
    from bot.records.awaiting import Awaiting

log = logging.getLogger(__name__)

WRITING = f"{FEATURE}.writing"  # what the bot awaits: the new rules text
EDIT_TIMEOUT = 30 * 60


async def admin_groups(app: App, user_id: int) -> list[int]:
    """The active groups this person administers (for the private ``/setrules``)."""
    data = app.bot_data
    found = []
    for group in await data.store.groups.active():
        try:
            if await data.admins.is_admin(app.bot, group.chat_id, user_id):
                found.append(group.chat_id)
        except (BadRequest, Forbidden):
            log.info("admin list of %s unavailable", group.chat_id)
    return found


async def begin(app: App, user_id: int, chat_id: int) -> str:
    """Await this administrator's new rules for the group; the group's title to show."""
    data = app.bot_data
    group = await data.store.groups.get(chat_id)
    # A group the bot does not know (an old or forged link) is answered as for a non-admin.
    if group is None or not await data.admins.is_admin(app.bot, chat_id, user_id, fresh=True):
        raise AdminsOnlyError
    await data.store.awaiting.expect(user_id, WRITING, EDIT_TIMEOUT, {"chat_id": chat_id})
    return group.title or ""


async def receive(app: App, waiting: Awaiting, text: str) -> int:
    """The new rules arrived: keep them as a new version; the version number.

    A text that cannot be used is refused (``RefusedError``) and the edit goes on; someone who
    is no longer an administrator is refused and the edit ends.
    """
    data = app.bot_data
    chat_id = waiting.payload.get("chat_id")
    if not isinstance(chat_id, int):
        await data.store.awaiting.clear(waiting.user_id, WRITING)
        raise RefusedError("rules.set_cancelled")  # a damaged record: stop, change nothing
    if not await data.admins.is_admin(app.bot, chat_id, waiting.user_id, fresh=True):
        await data.store.awaiting.clear(waiting.user_id, WRITING)
        raise AdminsOnlyError
    version = await new_version(app, chat_id, text, waiting.user_id)
    await pinning.publish(app, chat_id, version)
    await data.store.awaiting.clear(waiting.user_id, WRITING)
    return version


async def stop(data: BotData, user_id: int) -> None:
    """The guided edit's Cancel: nothing more is awaited for it."""
    await data.store.awaiting.clear(user_id, WRITING)
