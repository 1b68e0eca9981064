"""The admin team chat (/linkadmins, /unlinkadmins) and the audit log (/log)."""

from __future__ import annotations

from telegram import Update

from bot.adapters.guards import group_admin
from bot.adapters.keyboards import private_chat_button
from bot.adapters.replies import reply
from bot.context import Context
from bot.delivery import outbox
from bot.errors import AdminsOnlyError, RefusedError
from bot.ids import parse_id
from bot.moderation import adminchat, audit
from bot.talk import requests as talk_requests


async def linkadmins(update: Update, context: Context) -> None:
    chat = update.effective_chat
    if chat is None:
        return
    args = list(context.args or [])
    if not args:
        # Run in the admin group: offer a code for the member group to confirm.
        if await group_admin(update, context) is None:
            return
        code = await adminchat.offer_code(context.app, chat.id)
        await reply(update, context, "moderation.link_code", code=code)
        return
    # Run in the member group with the code: an admin of this group confirms.
    actor = await group_admin(update, context, fresh=True)
    if actor is None:
        return
    group = await context.bot_data.store.groups.get(chat.id)
    if group is None:
        raise RefusedError("moderation.not_set_up")
    linked = await adminchat.link(context.app, group, args[0], actor)
    await reply(update, context, "moderation.link_done")
    await adminchat.announce_link(context.app, linked)
    await talk_requests.offer_kept(context.app)  # a kept /talk request can go to the team now


async def unlinkadmins(update: Update, context: Context) -> None:
    chat = update.effective_chat
    if chat is None:
        return
    actor = await group_admin(update, context, fresh=True)
    if actor is None:
        return
    group = await context.bot_data.store.groups.get(chat.id)
    if group is None:
        raise RefusedError("moderation.link_none")
    await adminchat.unlink(context.app, group, actor)
    await reply(update, context, "moderation.unlink_done")


def _log_filter(update: Update, context: Context) -> int | None:
    """The member the log is about: the one replied to, or a numeric id; else everyone."""
    message = update.effective_message
    if message is not None and message.reply_to_message is not None:
        replied = message.reply_to_message
        if replied.from_user is not None and replied.sender_chat is None:
            return replied.from_user.id
    args = list(context.args or [])
    return parse_id(args[0]) if args else None


async def log_command(update: Update, context: Context) -> None:
    chat = update.effective_chat
    message = update.effective_message
    if chat is None or message is None:
        return
    data, app = context.bot_data, context.app
    member_group = await data.store.groups.by_admin_chat(chat.id)
    if member_group is not None:
        # In the admin team chat: answered there, without reasons.
        user = update.effective_user
        if user is None or not await data.admins.is_admin(
            context.bot, member_group.chat_id, user.id
        ):
            raise AdminsOnlyError
        text = await audit.log_text(
            app, member_group, _log_filter(update, context), with_detail=False
        )
        await message.reply_text(text)
        return
    actor = await group_admin(update, context)
    if actor is None:
        return
    group = await data.store.groups.get(chat.id)
    if group is None:
        raise RefusedError("moderation.not_set_up")
    target_id = _log_filter(update, context)
    if actor.user_id is None:
        if group.admin_chat_id is None:
            raise RefusedError("moderation.log_anonymous")
        text = await audit.log_text(app, group, target_id, with_detail=False)
        await outbox.send_critical(context.app, group.admin_chat_id, text, kind="answer")
        await reply(update, context, "moderation.log_sent_team")
        return
    text = await audit.log_text(app, group, target_id, with_detail=True)
    if (
        await outbox.send_critical(context.app, actor.user_id, text, kind="answer")
        == outbox.FAILED
    ):
        await reply(
            update,
            context,
            "moderation.log_start_bot",
            reply_markup=private_chat_button(context, group.language),
        )
        return
    await reply(update, context, "moderation.log_sent")


async def log_in_private(update: Update, context: Context) -> None:
    """/log is asked for in the group (so the bot knows which one) and answered privately."""
    await reply(update, context, "moderation.log_in_group")
