"""The admin team chat (/linkadmins, /unlinkadmins) and the audit log (/log).

Linking: /linkadmins in the separate admin group gives a one-hour code; an admin of the member
group confirms with /linkadmins CODE there. Reports, flags and audit lines then go to the team
chat; reasons, appeals and anything members told the bot in confidence never do.
"""

from __future__ import annotations

import secrets

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, filters

from bot.adapters.replies import send_private
from bot.context import Context
from bot.handlers import moderation_actions as actions
from bot.handlers.common import Actor, group_admin, private_chat_button, reply
from bot.moderation import policy
from bot.records.audit import AuditEntry
from bot.records.groups import Group

GROUPS = filters.ChatType.GROUPS
LOG_ENTRIES = 25


async def linkadmins(update: Update, context: Context) -> None:
    chat = update.effective_chat
    if chat is None:
        return
    data = context.bot_data
    args = list(context.args or [])
    if not args:
        # Run in the admin group: offer a code for the member group to confirm.
        if await group_admin(update, context) is None:
            return
        if await data.store.groups.by_admin_chat(chat.id) is not None:
            await reply(update, context, "moderation.link_already")
            return
        code = secrets.token_hex(3).upper()
        await data.store.moderation.add_link_code(code, chat.id)
        await reply(update, context, "moderation.link_code", code=code)
        return
    # Run in the member group with the code: an admin of this group confirms.
    actor = await group_admin(update, context, fresh=True)
    if actor is None:
        return
    group = await data.store.groups.get(chat.id)
    if group is None:
        await reply(update, context, "moderation.not_set_up")
        return
    admin_chat_id = await data.store.moderation.take_link_code(
        args[0].upper(), policy.LINK_CODE_TTL
    )
    if admin_chat_id is None:
        await reply(update, context, "moderation.link_bad_code")
        return
    if admin_chat_id == chat.id:
        await reply(update, context, "moderation.link_same_chat")
        return
    other = await data.store.groups.by_admin_chat(admin_chat_id)
    if other is not None and other.chat_id != chat.id:
        await reply(update, context, "moderation.link_already")
        return
    await data.store.groups.update_setting(chat.id, "admin_chat_id", admin_chat_id)
    linked = await data.store.groups.get(chat.id)
    assert linked is not None  # noqa: S101 - just read
    await actions.audit(
        context, "mod.admin_chat_linked", group=linked, actor=actor, target_id=None
    )
    await reply(update, context, "moderation.link_done")
    await context.bot.send_message(
        admin_chat_id,
        data.texts.t(linked.language, "moderation.link_done_team", group=group.title),
    )


async def unlinkadmins(update: Update, context: Context) -> None:
    chat = update.effective_chat
    if chat is None:
        return
    actor = await group_admin(update, context, fresh=True)
    if actor is None:
        return
    data = context.bot_data
    group = await data.store.groups.get(chat.id)
    if group is None or group.admin_chat_id is None:
        await reply(update, context, "moderation.link_none")
        return
    await actions.audit(
        context, "mod.admin_chat_unlinked", group=group, actor=actor, target_id=None
    )
    await data.store.groups.update_setting(chat.id, "admin_chat_id", None)
    await reply(update, context, "moderation.unlink_done")


# -- /log ---------------------------------------------------------------------------------------


async def _format(
    context: Context, group: Group, entries: list[AuditEntry], *, with_detail: bool
) -> str:
    data = context.bot_data
    lang = group.language
    names: dict[int, str] = {}

    async def name(user_id: int | None, empty_key: str) -> str:
        if user_id is None:
            return data.texts.t(lang, empty_key)
        if user_id not in names:
            names[user_id] = await actions.member_name(
                context.bot, group.chat_id, user_id, str(user_id)
            )
        return f"{names[user_id]} ({user_id})"

    lines = [data.texts.t(lang, "moderation.log_title", group=group.title)]
    if not entries:
        lines.append(data.texts.t(lang, "moderation.log_empty"))
    for entry in reversed(entries):
        detail = f" — {entry.detail}" if with_detail and entry.detail else ""
        lines.append(
            data.texts.t(
                lang,
                "moderation.log_line",
                when=actions.when_text(data, group, entry.created_at, lang),
                action=actions.action_label(data, lang, entry.action),
                actor=await name(entry.actor_id, "moderation.actor_system"),
                target=await name(entry.target_id, "moderation.nobody")
                if entry.target_id
                else "-",
                detail=detail,
            )
        )
    return "\n".join(lines)


def _log_filter(update: Update, context: Context) -> int | None:
    message = update.effective_message
    if message is not None and message.reply_to_message is not None:
        replied = message.reply_to_message
        if replied.from_user is not None and replied.sender_chat is None:
            return replied.from_user.id
    args = list(context.args or [])
    if args and args[0].lstrip("-").isdigit():
        return int(args[0])
    return None


async def log_command(update: Update, context: Context) -> None:
    chat = update.effective_chat
    message = update.effective_message
    if chat is None or message is None:
        return
    data = context.bot_data
    member_group = await data.store.groups.by_admin_chat(chat.id)
    if member_group is not None:
        # In the admin team chat: answered there, without reasons.
        user = update.effective_user
        if user is None or not await data.admins.is_admin(
            context.bot, member_group.chat_id, user.id
        ):
            await reply(update, context, "common.admins_only")
            return
        entries = await data.store.audit.recent(
            member_group.chat_id, target_id=_log_filter(update, context), limit=LOG_ENTRIES
        )
        await message.reply_text(await _format(context, member_group, entries, with_detail=False))
        return
    actor: Actor | None = await group_admin(update, context)
    if actor is None:
        return
    group = await data.store.groups.get(chat.id)
    if group is None:
        await reply(update, context, "moderation.not_set_up")
        return
    entries = await data.store.audit.recent(
        chat.id, target_id=_log_filter(update, context), limit=LOG_ENTRIES
    )
    if actor.user_id is None:
        if group.admin_chat_id is None:
            await reply(update, context, "moderation.log_anonymous")
            return
        text = await _format(context, group, entries, with_detail=False)
        await context.bot.send_message(group.admin_chat_id, text)
        await reply(update, context, "moderation.log_sent_team")
        return
    text = await _format(context, group, entries, with_detail=True)
    if await send_private(context.bot, data, actor.user_id, text) is None:
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


def handlers() -> list[BaseHandler[Update, Context, None]]:
    return [
        CommandHandler("linkadmins", linkadmins, filters=GROUPS),
        CommandHandler("unlinkadmins", unlinkadmins, filters=GROUPS),
        CommandHandler("log", log_command, filters=GROUPS),
        CommandHandler("log", log_in_private, filters=filters.ChatType.PRIVATE),
    ]
