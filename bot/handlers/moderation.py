"""Moderation commands: /warn /mute /unmute /exclude /readmit /solicitor /unblock, the blocklist
gate, and the wiring of the other moderation modules (reports, flags, support, appeals, admin
team chat, audit log).

Every command works as a reply to the member's message or with their numeric id. Admin rights
are Telegram's (cached, and asked again right before a ban or restriction). Distress is never a
rule violation: nothing here looks at what members say about how they feel.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from telegram import Message, Update
from telegram.constants import ChatMemberStatus
from telegram.error import TelegramError
from telegram.ext import (
    ApplicationHandlerStop,
    BaseHandler,
    CallbackQueryHandler,
    ChatJoinRequestHandler,
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.adapters.menus import MenuEntry
from bot.adapters.replies import delete_quietly, send_private
from bot.context import Context
from bot.handlers import moderation_actions as actions
from bot.handlers import (
    moderation_adminchat,
    moderation_appeals,
    moderation_reports,
    moderation_support,
)
from bot.handlers.common import Actor, group_admin, reply
from bot.handlers.feature import Feature
from bot.moderation import policy
from bot.people import language_of
from bot.records.groups import Group
from bot.scheduler import ActionHandler

log = logging.getLogger(__name__)

GROUPS = filters.ChatType.GROUPS

MENU: tuple[MenuEntry, ...] = (
    MenuEntry("report", group=True),
    MenuEntry("appeal", private=True),
    MenuEntry("warn", admin=True),
    MenuEntry("mute", admin=True),
    MenuEntry("unmute", admin=True),
    MenuEntry("exclude", admin=True),
    MenuEntry("readmit", admin=True),
    MenuEntry("solicitor", admin=True),
    MenuEntry("unblock", admin=True),
    MenuEntry("log", admin=True),
    MenuEntry("linkadmins", admin=True),
    MenuEntry("flagging", admin=True),
)


# -- reading a command --------------------------------------------------------------------------


def reply_target(message: Message) -> int | None:
    """The member whose message the command replies to (never a channel or the group itself)."""
    replied = message.reply_to_message
    if replied is None or replied.from_user is None or replied.sender_chat is not None:
        return None
    if replied.forum_topic_created is not None:
        return None
    return replied.from_user.id


@dataclass(frozen=True)
class Begun:
    """A moderation command ready to act on: where, by whom, about whom, and its words."""

    group: Group
    actor: Actor
    target_id: int
    parsed: policy.ParsedCommand

    @property
    def seconds(self) -> int:
        """The duration given (commands that need one always have one)."""
        return int(self.parsed.duration.total_seconds()) if self.parsed.duration else 0


async def begin(update: Update, context: Context, *, needs_duration: bool) -> Begun | None:
    """The group, the acting admin and the command's words; a kind answer if any is wrong."""
    message = update.effective_message
    chat = update.effective_chat
    if message is None or chat is None:
        return None
    actor = await group_admin(update, context)
    if actor is None:
        return None
    group = await context.bot_data.store.groups.get(chat.id)
    if group is None:
        await reply(update, context, "moderation.not_set_up")
        return None
    replied = message.reply_to_message
    if replied is not None and replied.sender_chat is not None:
        await reply(update, context, "moderation.refuse_service")
        return None
    target = reply_target(message)
    try:
        parsed = policy.parse_command(
            list(context.args or []),
            has_reply_target=target is not None,
            needs_duration=needs_duration,
        )
    except policy.CommandError as error:
        await reply(update, context, f"moderation.err_{error.code}")
        return None
    if target is not None:
        parsed = policy.ParsedCommand(
            target_id=target,
            duration=parsed.duration,
            reason=parsed.reason,
            contact_id=parsed.contact_id,
        )
    if parsed.target_id is None:  # parse_command guarantees one; never act on nobody
        return None
    return Begun(group, actor, parsed.target_id, parsed)


async def confirm(
    update: Update, context: Context, group: Group, public_key: str, detail: str, **values: Any
) -> None:
    """A short answer in the group; the details (counts, delivery) to the admins privately.

    The admin's command is then removed: its reason is for the member and the admins, not for
    the whole group.
    """
    delivered = await actions.tell_admins(context, group, detail)
    await reply(update, context, public_key, **values)
    if not delivered:
        await reply(update, context, "moderation.admins_unreachable")
    await remove_command(update, context)


async def remove_command(update: Update, context: Context) -> None:
    message = update.effective_message
    if message is not None:
        await delete_quietly(context.bot, message.chat.id, message.message_id)


def about(
    context: Context, group: Group, key: str, target_id: int, target_name: str, **values: object
) -> str:
    """The admins' copy of an action: who, in which group, and the action's own details."""
    return context.bot_data.texts.t(
        group.language,
        key,
        member=actions.mention(target_id, target_name),
        group=group.title,
        **values,
    )


def delivery_note(context: Context, lang: str, reached: bool | None) -> str:
    if reached is False:
        return "\n" + context.bot_data.texts.t(lang, "moderation.member_unreached")
    return ""


# -- commands -----------------------------------------------------------------------------------


async def warn(update: Update, context: Context) -> None:
    begun = await begin(update, context, needs_duration=False)
    if begun is None:
        return
    group, actor, parsed, target_id = begun.group, begun.actor, begun.parsed, begun.target_id
    try:
        outcome = await actions.warn(context, group, actor, target_id, parsed.reason)
    except actions.ActionRefusedError as refused:
        await reply(update, context, refused.key, **refused.values)
        return
    detail = about(
        context,
        group,
        "moderation.warn_admins",
        outcome.target_id,
        outcome.target_name,
        count=outcome.count or 1,
    ) + delivery_note(context, group.language, outcome.reached)
    await confirm(update, context, group, "moderation.warn_done", detail)


async def mute(update: Update, context: Context) -> None:
    begun = await begin(update, context, needs_duration=True)
    if begun is None:
        return
    group, actor, parsed, target_id = begun.group, begun.actor, begun.parsed, begun.target_id
    seconds = begun.seconds
    try:
        outcome = await actions.mute(context, group, actor, target_id, seconds, parsed.reason)
    except (actions.ActionRefusedError, policy.CommandError) as refused:
        await _refused(update, context, refused)
        return
    data, lang = context.bot_data, group.language
    length = actions.length_text(data, lang, seconds)
    detail = about(
        context,
        group,
        "moderation.mute_admins",
        outcome.target_id,
        outcome.target_name,
        length=length,
    ) + delivery_note(context, lang, outcome.reached)
    await confirm(
        update,
        context,
        group,
        "moderation.mute_done",
        detail,
        name=outcome.target_name,
        length=length,
    )


async def unmute(update: Update, context: Context) -> None:
    begun = await begin(update, context, needs_duration=False)
    if begun is None:
        return
    group, actor, target_id = begun.group, begun.actor, begun.target_id
    try:
        outcome = await actions.unmute(context, group, actor, target_id)
    except actions.ActionRefusedError as refused:
        await reply(update, context, refused.key, **refused.values)
        return
    await reply(update, context, "moderation.unmute_done", name=outcome.target_name)


async def exclude(update: Update, context: Context) -> None:
    begun = await begin(update, context, needs_duration=True)
    if begun is None:
        return
    group, actor, parsed, target_id = begun.group, begun.actor, begun.parsed, begun.target_id
    seconds = begun.seconds
    try:
        outcome = await actions.exclude(
            context, group, actor, target_id, seconds, parsed.reason, parsed.contact_id
        )
    except (actions.ActionRefusedError, policy.CommandError) as refused:
        await _refused(update, context, refused)
        return
    data, lang = context.bot_data, group.language
    length = actions.length_text(data, lang, seconds)
    key = "moderation.exclude_admins" if outcome.reached else "moderation.exclude_admins_unreached"
    detail = about(context, group, key, outcome.target_id, outcome.target_name, length=length)
    await confirm(
        update,
        context,
        group,
        "moderation.exclude_done",
        detail,
        name=outcome.target_name,
        length=length,
    )


async def readmit(update: Update, context: Context) -> None:
    begun = await begin(update, context, needs_duration=False)
    if begun is None:
        return
    group, actor, target_id = begun.group, begun.actor, begun.target_id
    data = context.bot_data
    sanction = await data.store.moderation.active_sanction(group.chat_id, target_id, "exclude")
    if sanction is None:
        await reply(update, context, "moderation.not_excluded")
        return
    try:
        await actions.confirm_admin(context, group.chat_id, actor)
        reached = await actions.readmit(context, sanction, actor)
    except actions.ActionRefusedError as refused:
        await reply(update, context, refused.key, **refused.values)
        return
    if reached is None:
        await reply(update, context, "moderation.not_excluded")
        return
    await reply(
        update,
        context,
        "moderation.readmit_done" if reached else "moderation.readmit_done_unreached",
    )


async def solicitor(update: Update, context: Context) -> None:
    begun = await begin(update, context, needs_duration=False)
    if begun is None:
        return
    group, actor, parsed, target_id = begun.group, begun.actor, begun.parsed, begun.target_id
    message = update.effective_message
    try:
        outcome = await actions.solicitor(context, group, actor, target_id, parsed.reason)
    except actions.ActionRefusedError as refused:
        await reply(update, context, refused.key, **refused.values)
        return
    data, lang = context.bot_data, group.language
    detail = about(
        context, group, "moderation.solicitor_admins", outcome.target_id, outcome.target_name
    )
    markup = moderation_reports.tell_markup(data, lang, group.chat_id, outcome.target_id)
    delivered = await actions.tell_admins(context, group, detail, markup=markup)
    if message is not None and message.reply_to_message is not None:
        await delete_quietly(context.bot, group.chat_id, message.reply_to_message.message_id)
    await reply(update, context, "moderation.solicitor_done")
    if not delivered:
        await reply(update, context, "moderation.admins_unreachable")
    await remove_command(update, context)


async def unblock(update: Update, context: Context) -> None:
    begun = await begin(update, context, needs_duration=False)
    if begun is None:
        return
    group, actor, target_id = begun.group, begun.actor, begun.target_id
    try:
        removed = await actions.unblock(context, group, actor, target_id)
    except actions.ActionRefusedError as refused:
        await reply(update, context, refused.key, **refused.values)
        return
    await reply(
        update, context, "moderation.unblock_done" if removed else "moderation.not_blocked"
    )


async def _refused(
    update: Update, context: Context, refused: actions.ActionRefusedError | policy.CommandError
) -> None:
    if isinstance(refused, policy.CommandError):
        await reply(update, context, f"moderation.err_{refused.code}")
    else:
        await reply(update, context, refused.key, **refused.values)


async def in_private(update: Update, context: Context) -> None:
    await reply(update, context, "moderation.in_group_only")


# -- the blocklist gate (handler group BLOCKLIST) -----------------------------------------------


async def gate_join_request(update: Update, context: Context) -> None:
    request = update.chat_join_request
    if request is None:
        return
    data = context.bot_data
    if not await data.moderation.is_blocked(data.store.moderation, request.from_user.id):
        return
    try:
        await request.decline()
    except TelegramError:
        log.info("could not decline a join request in %s", request.chat.id)
    group = await data.store.groups.get(request.chat.id)
    if group is not None:
        await actions.audit(
            context, "mod.join_declined", group=group, actor=None, target_id=request.from_user.id
        )
    raise ApplicationHandlerStop


async def gate_member(update: Update, context: Context) -> None:
    change = update.chat_member
    if change is None:
        return
    new = change.new_chat_member
    if new.status not in (ChatMemberStatus.MEMBER, ChatMemberStatus.RESTRICTED):
        return
    if new.status == ChatMemberStatus.RESTRICTED and not getattr(new, "is_member", True):
        return
    data = context.bot_data
    if not await data.moderation.is_blocked(data.store.moderation, new.user.id):
        return
    try:
        await context.bot.ban_chat_member(change.chat.id, new.user.id)
    except TelegramError:
        log.info("could not undo a blocked person's rejoin in %s", change.chat.id)
    group = await data.store.groups.get(change.chat.id)
    if group is not None:
        await actions.audit(
            context, "mod.rejoin_undone", group=group, actor=None, target_id=new.user.id
        )
    raise ApplicationHandlerStop


async def gate_message(update: Update, context: Context) -> None:
    message = update.effective_message
    if message is None or message.from_user is None:
        return
    data = context.bot_data
    if not await data.moderation.is_blocked(data.store.moderation, message.from_user.id):
        return
    await delete_quietly(context.bot, message.chat.id, message.message_id)
    try:
        await context.bot.ban_chat_member(message.chat.id, message.from_user.id)
    except TelegramError:
        log.info("could not remove a blocked person from %s", message.chat.id)
    raise ApplicationHandlerStop


# -- the solicitor's optional note --------------------------------------------------------------


async def on_tell(update: Update, context: Context) -> None:
    """An admin asked that the excluded solicitor be told, briefly and without detail."""
    query = update.callback_query
    if query is None or query.data is None:
        return
    parts = query.data.split(":")
    data = context.bot_data
    try:
        chat_id, user_id = int(parts[2]), int(parts[3])
    except (IndexError, ValueError):
        await query.answer(data.texts.t(data.settings.default_language, "common.stale"))
        return
    group = await data.store.groups.get(chat_id)
    presser = query.from_user.id
    lang = group.language if group else data.settings.default_language
    if group is None or not await data.store.moderation.is_blocked(user_id):
        await query.answer(data.texts.t(lang, "common.stale"), show_alert=True)
        return
    if not await data.admins.is_admin(context.bot, chat_id, presser):
        await query.answer(data.texts.t(lang, "common.admins_only"), show_alert=True)
        return
    member_lang = await language_of(data, user_id)
    text = data.texts.t(member_lang, "moderation.solicitor_member", group=group.title)
    sent = await send_private(context.bot, data, user_id, text)
    await query.answer(
        data.texts.t(lang, "moderation.told" if sent else "moderation.not_told"), show_alert=True
    )
    if query.message is not None:
        await query.edit_message_reply_markup(None)


# -- registration -------------------------------------------------------------------------------


def gates() -> list[BaseHandler[Update, Context, None]]:
    return [
        ChatJoinRequestHandler(gate_join_request),
        ChatMemberHandler(gate_member, ChatMemberHandler.CHAT_MEMBER),
        # Any message by someone on the blocklist (checked in memory: cheap on every message).
        MessageHandler(GROUPS & filters.UpdateType.MESSAGES, gate_message),
    ]


def handlers() -> list[BaseHandler[Update, Context, None]]:
    commands = {
        "warn": warn,
        "mute": mute,
        "unmute": unmute,
        "exclude": exclude,
        "readmit": readmit,
        "solicitor": solicitor,
        "unblock": unblock,
    }
    found: list[BaseHandler[Update, Context, None]] = [
        CommandHandler(name, callback, filters=GROUPS) for name, callback in commands.items()
    ]
    found.append(CommandHandler(list(commands), in_private, filters=filters.ChatType.PRIVATE))
    found.append(CallbackQueryHandler(on_tell, pattern=r"^mod:tell:"))
    found.extend(moderation_reports.handlers())
    found.extend(moderation_support.handlers())
    found.extend(moderation_adminchat.handlers())
    found.extend(moderation_appeals.handlers())
    return found


def observers() -> list[BaseHandler[Update, Context, None]]:
    return moderation_reports.observers()


def jobs() -> dict[str, ActionHandler]:
    return moderation_support.jobs()


def feature() -> Feature:
    return Feature(
        name="moderation",
        menu=MENU,
        blocklist=gates(),
        commands=handlers(),
        observers=observers(),
        jobs=jobs(),
    )
