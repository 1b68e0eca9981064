"""The full rules, pinned at the top of the group by the bot (a setting, on by default).

The welcome and the regular reminder stay short because the whole text is one tap away. The bot
pins only when it has the right to; a new version replaces the pinned message; turning the
setting off unpins it. Nothing here ever fails the caller: a group where the bot may not pin
simply has no pinned rules.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from telegram import ChatMemberAdministrator, ChatMemberOwner
from telegram.error import BadRequest, Forbidden

from bot.adapters.replies import delete_quietly
from bot.rules.versions import announce, rendered

if TYPE_CHECKING:
    from bot.context import App

log = logging.getLogger(__name__)


async def may_pin(app: App, chat_id: int) -> bool:
    """Telegram lets the bot pin messages in this group."""
    try:
        me = await app.bot.get_chat_member(chat_id, app.bot.id)
    except (BadRequest, Forbidden):
        return False
    if isinstance(me, ChatMemberOwner):
        return True
    return isinstance(me, ChatMemberAdministrator) and bool(me.can_pin_messages)


async def pin(app: App, chat_id: int, *, only_if_missing: bool = False) -> bool:
    """Post the full current rules and pin them (replacing the bot's earlier pin). True if so."""
    data = app.bot_data
    group = await data.store.groups.get(chat_id)
    if group is None or not group.active or not group.registered or not group.pin_rules:
        return False
    if only_if_missing and group.rules_pinned_id is not None:
        return False
    if not await may_pin(app, chat_id):
        log.info("rules not pinned in %s: no right to pin", chat_id)
        return False
    text = data.texts.t(
        group.language, "rules.pinned", rules=await rendered(data, chat_id, group.language)
    )
    try:
        sent = await app.bot.send_message(chat_id, text, disable_notification=True)
        await app.bot.pin_chat_message(chat_id, sent.message_id, disable_notification=True)
    except (BadRequest, Forbidden) as error:
        log.info("rules not pinned in %s (%s)", chat_id, type(error).__name__)
        return False
    await _drop_old(app, chat_id, group.rules_pinned_id)
    await data.store.groups.update_setting(chat_id, "rules_pinned_id", sent.message_id)
    return True


async def unpin(app: App, chat_id: int) -> None:
    """The setting was turned off: the bot's pinned rules go."""
    data = app.bot_data
    group = await data.store.groups.get(chat_id)
    if group is None or group.rules_pinned_id is None:
        return
    await _drop_old(app, chat_id, group.rules_pinned_id)
    await data.store.groups.update_setting(chat_id, "rules_pinned_id", None)


async def _drop_old(app: App, chat_id: int, message_id: int | None) -> None:
    if message_id is None:
        return
    try:
        await app.bot.unpin_chat_message(chat_id, message_id)
    except (BadRequest, Forbidden):
        log.info("old rules pin in %s already gone", chat_id)
    await delete_quietly(app, chat_id, message_id)


async def publish(app: App, chat_id: int, version: int) -> None:
    """A new version: pinned in full (when the group wants it and the bot may), and the group
    told, briefly when pinned."""
    pinned = await pin(app, chat_id)
    await announce(app, chat_id, version, pinned=pinned)
