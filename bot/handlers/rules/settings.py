"""``/settings [what value]`` for a group's administrators: show or change its settings."""

from __future__ import annotations

from telegram import Update

from bot.adapters.guards import group_admin, is_group
from bot.adapters.replies import reply
from bot.context import Context
from bot.rules import settings


async def settings_command(update: Update, context: Context) -> None:
    """/settings alone shows every value; ``/settings gate off`` changes one."""
    chat = update.effective_chat
    if chat is None:
        return
    if not is_group(chat):
        await reply(update, context, "rules.settings_in_group")
        return
    actor = await group_admin(update, context)
    if actor is None:
        return
    args = [arg for arg in (context.args or []) if arg]
    if not args:
        body = await settings.show(context.app, chat.id)
        await reply(update, context, "rules.settings_wrap", body=body)
        return
    body = await settings.change(context.app, chat.id, actor.user_id, args[0], args[1:])
    await reply(update, context, "rules.settings_saved", body=body)
