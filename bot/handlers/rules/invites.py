"""``/invite [name]``: an administrator gets a personal single-use invite link, privately.

In a group the link goes to the admin's private chat (never into the group, where anyone could
use it); in the private chat the admin picks the group when they administer several."""

from __future__ import annotations

from telegram import Update

from bot.adapters.callbacks import Callback
from bot.adapters.guards import group_admin
from bot.adapters.keyboards import button, keyboard, private_chat_button
from bot.adapters.replies import delete_quietly, edit_quietly, reply, send_private
from bot.context import Context
from bot.errors import AdminsOnlyError, RefusedError
from bot.groups.administered import administered, administered_one
from bot.people import language_for, language_of
from bot.rules import invites
from bot.rules.callbacks import FEATURE, INVITE


async def invite_group(update: Update, context: Context) -> None:
    """/invite in the group: the link is sent to the admin privately."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    actor = await group_admin(update, context)
    if actor is None:
        return
    if actor.user_id is None:
        raise RefusedError("joinmodes.invite_anonymous")
    data = context.bot_data
    group = await data.store.groups.get(chat.id)
    if group is None:
        raise RefusedError("moderation.not_set_up")
    link = await invites.personal_link(
        context.app, group, actor.user_id, invites.link_name(list(context.args or []))
    )
    user = update.effective_user
    lang = await language_of(data, actor.user_id, user.language_code if user else None)
    text = data.texts.t(lang, "joinmodes.invite_link", group=group.title, link=link)
    if await send_private(context.bot, data, actor.user_id, text) is None:
        glang = await language_for(data, update)
        markup = private_chat_button(context, glang)
        await reply(update, context, "joinmodes.invite_start_first", reply_markup=markup)
        return
    await reply(update, context, "joinmodes.invite_sent")
    await delete_quietly(context.app, chat.id, message.message_id)


async def invite_private(update: Update, context: Context) -> None:
    """/invite in the private chat: the link at once, or first a pick of the admin's groups."""
    user = update.effective_user
    if user is None:
        return
    groups = await administered(context.app, user.id)
    if not groups:
        await reply(update, context, "joinmodes.no_groups")
        return
    if len(groups) > 1:
        rows = [[button(g.title, FEATURE, INVITE, g.chat_id)] for g in groups]
        await reply(update, context, "joinmodes.pick_group", reply_markup=keyboard(*rows))
        return
    group = groups[0]
    name = invites.link_name(list(context.args or []))
    link = await invites.personal_link(context.app, group, user.id, name)
    await reply(update, context, "joinmodes.invite_link", group=group.title, link=link)


async def on_pick(update: Update, context: Context, pressed: Callback) -> None:
    """A group picked for /invite: the link replaces the choice."""
    query, user = update.callback_query, update.effective_user
    if query is None or user is None:
        return
    chat_id = pressed.count(1).number(0)
    group = await administered_one(context.app, user.id, chat_id)
    if group is None:
        raise AdminsOnlyError
    link = await invites.personal_link(context.app, group, user.id, None)
    await query.answer()
    data = context.bot_data
    lang = await language_for(data, update)
    text = data.texts.t(lang, "joinmodes.invite_link", group=group.title, link=link)
    if query.message is not None:
        await edit_quietly(context.app, query.message.chat.id, query.message.message_id, text)
