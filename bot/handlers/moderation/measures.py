"""The measure commands: /warn /mute /unmute /exclude /readmit /solicitor /unblock, and the
"tell them briefly" button an excluded solicitor's notice carries.

Every command works as a reply to the member's message, with their numeric id, with the
``@username`` of someone the bot has seen, or with a name picked from Telegram's mention list.
Each reads the command, checks that an admin of a set-up group sends it, calls
``bot.moderation.measures`` and answers: briefly in the group, naming nobody and claiming only
what was done, removed again after about a minute (the details, including what could not be
done, go to the admins privately); then removes the admin's command (its reason is for the
member and the admins, not for the whole group).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from telegram import Message, MessageEntity, Update

from bot.adapters.callbacks import Callback
from bot.adapters.guards import Actor, group_admin
from bot.adapters.replies import answer_alert, delete_quietly, reply, strip_buttons
from bot.context import Context
from bot.errors import AdminsOnlyError, RefusedError
from bot.handlers.moderation.flags import signals_of
from bot.moderation import measures, policy, targets, teaching, tidy
from bot.moderation.texts import length_text
from bot.records.groups import Group

COMMANDS = ("warn", "mute", "unmute", "exclude", "readmit", "solicitor", "unblock")


# -- reading a command --------------------------------------------------------------------------


def reply_target(message: Message) -> int | None:
    """The member whose message the command replies to (never a channel or the group itself)."""
    replied = message.reply_to_message
    if replied is None or replied.from_user is None or replied.sender_chat is not None:
        return None
    if replied.forum_topic_created is not None:
        return None
    return replied.from_user.id


def mention_target(message: Message) -> tuple[int, list[str]] | None:
    """A person picked from Telegram's mention list (someone without a @username): the
    command's first word is then their name, marked with a ``text_mention`` carrying them.
    Returns their id and the words after the name."""
    text = message.text or ""
    for entity in message.entities:
        if entity.type != MessageEntity.TEXT_MENTION or entity.user is None:
            continue
        if entity.user.is_bot:
            return None
        # Offsets count UTF-16 code units, as Telegram does.
        units = text.encode("utf-16-le")
        before = units[: entity.offset * 2].decode("utf-16-le").split()
        if len(before) != 1:  # only "/warn <name> ...": the name first, right after the command
            return None
        rest = units[(entity.offset + entity.length) * 2 :].decode("utf-16-le")
        return entity.user.id, rest.split()
    return None


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

    @property
    def reason(self) -> str | None:
        return self.parsed.reason


async def begin(update: Update, context: Context, *, needs_duration: bool) -> Begun | None:
    """The group, the acting admin and the command's words; refused kindly if any is wrong."""
    message = update.effective_message
    chat = update.effective_chat
    if message is None or chat is None:
        return None
    actor = await group_admin(update, context)
    if actor is None:
        return None
    group = await context.bot_data.store.groups.get(chat.id)
    if group is None:
        raise RefusedError("moderation.not_set_up")
    replied = message.reply_to_message
    if replied is not None and replied.sender_chat is not None:
        raise RefusedError("moderation.refuse_service")
    target = reply_target(message)
    words = list(context.args or [])
    picked = mention_target(message) if target is None else None
    if picked is not None:
        target, words = picked
    parsed = targets.parse(
        words, has_reply_target=target is not None, needs_duration=needs_duration
    )
    target_id = target if target is not None else await targets.resolve(context.bot_data, parsed)
    return Begun(group, actor, target_id, parsed)


async def _brief(update: Update, context: Context, key: str, **values: Any) -> None:
    """A short answer in the group, removed again about a minute after it arrived."""
    await reply(update, context, key, kind=tidy.BRIEF, **values)


async def _done(
    update: Update, context: Context, admins_told: bool, key: str, **values: Any
) -> None:
    """The short answer in the group (it names nobody; the details went to the admins
    privately); then the admin's command is removed."""
    await _brief(update, context, key, **values)
    if not admins_told:
        await _brief(update, context, "moderation.admins_kept")
    await _remove_command(update, context)


async def _remove_command(update: Update, context: Context) -> None:
    message = update.effective_message
    if message is not None:
        await delete_quietly(context.app, message.chat.id, message.message_id)


# -- commands -----------------------------------------------------------------------------------


async def warn(update: Update, context: Context) -> None:
    begun = await begin(update, context, needs_duration=False)
    if begun is None:
        return
    app = context.app
    outcome = await measures.warn(app, begun.group, begun.actor, begun.target_id, begun.reason)
    told = await measures.tell_admins_of(app, begun.group, outcome)
    await _done(update, context, told, "moderation.brief_warn")


async def mute(update: Update, context: Context) -> None:
    begun = await begin(update, context, needs_duration=True)
    if begun is None:
        return
    app, group = context.app, begun.group
    outcome = await measures.mute(
        app, group, begun.actor, begun.target_id, begun.seconds, begun.reason
    )
    told = await measures.tell_admins_of(app, group, outcome)
    length = length_text(context.bot_data, group.language, begun.seconds)
    await _done(update, context, told, "moderation.brief_mute", length=length)


async def unmute(update: Update, context: Context) -> None:
    begun = await begin(update, context, needs_duration=False)
    if begun is None:
        return
    await measures.unmute(context.app, begun.group, begun.actor, begun.target_id)
    await _done(update, context, True, "moderation.brief_unmute")


async def exclude(update: Update, context: Context) -> None:
    begun = await begin(update, context, needs_duration=True)
    if begun is None:
        return
    app, group = context.app, begun.group
    outcome = await measures.exclude(
        app,
        group,
        begun.actor,
        begun.target_id,
        begun.seconds,
        begun.reason,
        begun.parsed.contact_id,
    )
    told = await measures.tell_admins_of(app, group, outcome)
    length = length_text(context.bot_data, group.language, begun.seconds)
    await _done(update, context, told, "moderation.brief_exclude", length=length)


async def readmit(update: Update, context: Context) -> None:
    begun = await begin(update, context, needs_duration=False)
    if begun is None:
        return
    reached = await measures.readmit(context.app, begun.group, begun.actor, begun.target_id)
    told = await measures.tell_actor(
        context.app,
        begun.actor,
        "moderation.readmit_done" if reached else "moderation.readmit_done_unreached",
    )
    await _done(update, context, told, "moderation.brief_readmit")


async def solicitor(update: Update, context: Context) -> None:
    begun = await begin(update, context, needs_duration=False)
    if begun is None:
        return
    app, group = context.app, begun.group
    outcome = await measures.solicitor(app, group, begun.actor, begun.target_id, begun.reason)
    told = await measures.tell_admins_of(app, group, outcome)
    message = update.effective_message
    if message is not None and message.reply_to_message is not None:
        replied = message.reply_to_message
        text = replied.text or replied.caption
        if text:  # the admins said this message is selling: learn from its hashed features
            await teaching.learn_from_solicitor(app, text, signals_of(replied))
    # The advert replied to is already gone: banChatMember(revoke_messages) removed it.
    await _done(update, context, told, "moderation.brief_solicitor")


async def unblock(update: Update, context: Context) -> None:
    begun = await begin(update, context, needs_duration=False)
    if begun is None:
        return
    removed = await measures.unblock(context.app, begun.group, begun.actor, begun.target_id)
    if not removed:
        await reply(update, context, "moderation.not_blocked")
        return
    await _done(update, context, True, "moderation.brief_unblock")


async def in_private(update: Update, context: Context) -> None:
    await reply(update, context, "moderation.in_group_only")


# -- the solicitor's optional note (button ``tell_solicitor:CHAT:USER``) --------------------------


async def on_tell_solicitor(update: Update, context: Context, pressed: Callback) -> None:
    """An admin asked that the excluded solicitor be told, briefly and without detail."""
    query = update.callback_query
    if query is None:
        return
    chat_id, user_id = pressed.count(2).ints()
    app = context.app
    group = await measures.solicitor_case(app, chat_id, user_id)
    if not await context.bot_data.admins.is_admin(context.bot, chat_id, query.from_user.id):
        raise AdminsOnlyError
    told = await measures.tell_solicitor(app, group, user_id)
    await answer_alert(update, context, "moderation.told" if told else "moderation.not_told")
    if query.message is not None:
        await strip_buttons(query)
