"""The groups a person administers, for a choice made in the private chat (a group picker)."""

from __future__ import annotations

import logging

from telegram.error import TelegramError

from bot.context import App
from bot.records.groups import Group

log = logging.getLogger(__name__)


async def administered(app: App, user_id: int) -> list[Group]:
    """The active groups of the deployment where ``user_id`` is an administrator now."""
    data = app.bot_data
    found: list[Group] = []
    for group in await data.store.groups.active():
        try:
            if await data.admins.is_admin(app.bot, group.chat_id, user_id):
                found.append(group)
        except TelegramError as error:
            log.info("cannot check the admins of %s (%s)", group.chat_id, type(error).__name__)
    return found


async def administered_one(app: App, user_id: int, chat_id: int) -> Group | None:
    """The group picked, if it is active and ``user_id`` administers it (asked afresh)."""
    data = app.bot_data
    group = await data.store.groups.get(chat_id)
    if group is None or not group.active:
        return None
    try:
        admin = await data.admins.is_admin(app.bot, chat_id, user_id, fresh=True)
    except TelegramError:
        return None
    return group if admin else None
