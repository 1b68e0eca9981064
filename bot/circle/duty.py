"""Administrators on duty: the phone cards of "I need support now" go to them first.

``/duty on|off`` is an administrator's own choice for a group (in the group, or privately for
every group they administer); ``/setup`` shows who is on duty.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from telegram.error import TelegramError

from bot.circle import concern

if TYPE_CHECKING:
    from bot.context import App


async def set_duty(app: App, user_id: int, on: bool, chat_id: int | None) -> list[str]:
    """Put the administrator on (or off) duty for that group, or for every set-up group they
    administer; returns the titles of the groups changed (empty: they administer none)."""
    data = app.bot_data
    if chat_id is None:
        chats = await concern.groups_administered(app, user_id)
    else:
        chats = [c for c in await concern.groups_administered(app, user_id) if c == chat_id]
    titles = []
    for chat in chats:
        await data.store.ledger.set_duty(chat, user_id, on)
        group = await data.store.groups.get(chat)
        titles.append(group.title if group else "")
    return titles


async def on_duty_names(app: App, chat_id: int) -> list[str]:
    """First names of the group's administrators on duty who are still administrators."""
    data = app.bot_data
    try:
        admins = await data.admins.admins(app.bot, chat_id, fresh=True)
    except TelegramError:
        return []
    names = []
    for user_id in sorted(await data.store.ledger.on_duty(chat_id)):
        if user_id not in admins.user_ids:
            continue
        try:
            member = await app.bot.get_chat_member(chat_id, user_id)
        except TelegramError:
            continue
        names.append(member.user.first_name)
    return names
