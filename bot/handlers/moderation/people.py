"""People, not numbers: ``/id`` (an admin replies to a member's message and is told the id
privately), and ``/unblock`` and ``/readmit`` from the private chat, with a pick of the groups
the admin administers when there is more than one."""

from __future__ import annotations

from telegram import Update

from bot.adapters.callbacks import Callback
from bot.adapters.guards import Actor, group_admin
from bot.adapters.keyboards import button, keyboard, private_chat_button
from bot.adapters.replies import delete_quietly, edit_quietly, reply, send_private
from bot.context import Context
from bot.errors import AdminsOnlyError, RefusedError
from bot.groups.administered import administered, administered_one
from bot.handlers.moderation.measures import reply_target
from bot.moderation import measures, targets
from bot.moderation.callbacks import FEATURE, READMIT_IN, UNBLOCK_IN
from bot.people import language_for, language_of
from bot.records.groups import Group

# -- /id ----------------------------------------------------------------------------------------


async def id_group(update: Update, context: Context) -> None:
    """/id as a reply, by an admin: the member's id goes to the admin privately; the group sees
    nothing (the command is removed)."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    actor = await group_admin(update, context)
    if actor is None:
        return
    target = reply_target(message)
    replied = message.reply_to_message
    if target is None or replied is None or replied.from_user is None:
        raise RefusedError("joinmodes.id_usage")
    if actor.user_id is None:
        raise RefusedError("joinmodes.id_anonymous")
    data = context.bot_data
    user = update.effective_user
    lang = await language_of(data, actor.user_id, user.language_code if user else None)
    text = data.texts.t(
        lang,
        "joinmodes.id_private",
        name=replied.from_user.first_name or str(target),
        id=str(target),
        group=chat.title or "",
    )
    if await send_private(context.bot, data, actor.user_id, text) is None:
        markup = private_chat_button(context, await language_for(data, update))
        await reply(update, context, "joinmodes.start_first", reply_markup=markup)
        return
    await delete_quietly(context.app, chat.id, message.message_id)


async def id_private(update: Update, context: Context) -> None:
    """/id in the private chat: the person's own id."""
    user = update.effective_user
    if user is not None:
        await reply(update, context, "joinmodes.id_own", id=str(user.id))


# -- /unblock and /readmit from the private chat ------------------------------------------------


async def _target(context: Context) -> int:
    parsed = targets.parse(list(context.args or []), has_reply_target=False, needs_duration=False)
    return await targets.resolve(context.bot_data, parsed)


async def _offer(
    update: Update, context: Context, groups: list[Group], verb: str, target: int
) -> None:
    rows = [[button(g.title, FEATURE, verb, g.chat_id, target)] for g in groups]
    await reply(update, context, "joinmodes.pick_group", reply_markup=keyboard(*rows))


async def unblock_private(update: Update, context: Context) -> None:
    """/unblock ID|@name in the private chat: the blocklist is the deployment's; the admin acts
    as an administrator of one of their groups (picked when they have several)."""
    user = update.effective_user
    if user is None:
        return
    target = await _target(context)
    groups = await administered(context.app, user.id)
    if not groups:
        await reply(update, context, "joinmodes.no_groups")
        return
    if len(groups) > 1:
        await _offer(update, context, groups, UNBLOCK_IN, target)
        return
    await reply(update, context, await _unblock(context, groups[0], user.id, target))


async def readmit_private(update: Update, context: Context) -> None:
    """/readmit ID|@name in the private chat: among the admin's groups, those the member is
    excluded from now (picked when there are several)."""
    user = update.effective_user
    if user is None:
        return
    target = await _target(context)
    mine = await administered(context.app, user.id)
    if not mine:
        await reply(update, context, "joinmodes.no_groups")
        return
    repo = context.bot_data.store.moderation
    groups = [g for g in mine if await repo.active_sanction(g.chat_id, target, "exclude")]
    if not groups:
        raise RefusedError("moderation.not_excluded")
    if len(groups) > 1:
        await _offer(update, context, groups, READMIT_IN, target)
        return
    await reply(update, context, await _readmit(context, groups[0], user.id, target))


async def _unblock(context: Context, group: Group, admin_id: int, target: int) -> str:
    removed = await measures.unblock(context.app, group, Actor(user_id=admin_id), target)
    return "moderation.unblock_done" if removed else "moderation.not_blocked"


async def _readmit(context: Context, group: Group, admin_id: int, target: int) -> str:
    reached = await measures.readmit(context.app, group, Actor(user_id=admin_id), target)
    return "moderation.readmit_done" if reached else "moderation.readmit_done_unreached"


async def _picked(update: Update, context: Context, pressed: Callback, *, unblock: bool) -> None:
    query, user = update.callback_query, update.effective_user
    if query is None or user is None:
        return
    chat_id, target = pressed.count(2).ints()
    group = await administered_one(context.app, user.id, chat_id)
    if group is None:
        raise AdminsOnlyError
    act = _unblock if unblock else _readmit
    key = await act(context, group, user.id, target)
    await query.answer()
    if query.message is not None:
        data = context.bot_data
        text = data.texts.t(await language_for(data, update), key)
        await edit_quietly(context.app, query.message.chat.id, query.message.message_id, text)


async def on_unblock_pick(update: Update, context: Context, pressed: Callback) -> None:
    await _picked(update, context, pressed, unblock=True)


async def on_readmit_pick(update: Update, context: Context, pressed: Callback) -> None:
    await _picked(update, context, pressed, unblock=False)
