"""Escalation, only with consent: "I need support now", an administrator's /concern, and the
member's answers (yes and choose who, no, talk first; pick, send, cancel)."""

from __future__ import annotations

from telegram import InlineKeyboardButton, Update

from bot.adapters.callbacks import Callback
from bot.adapters.guards import is_anonymous_admin
from bot.adapters.keyboards import keyboard
from bot.adapters.replies import delete_quietly, reply, send_private
from bot.circle import concern, support_now
from bot.circle.callbacks import PICK, PICK_CANCEL, PICK_DONE
from bot.circle.escalation import ADMIN, MEMBER
from bot.context import Context
from bot.groups import membership
from bot.handlers.circle.shared import answer_quietly, btn, lang_of, person_of, show, t
from bot.ids import parse_id
from bot.people import language_of
from bot.records.circle import Escalation

# -- "I need support now" --------------------------------------------------------------------


async def support_now_command(update: Update, context: Context) -> None:
    user = person_of(update)
    lang = await lang_of(update, context)
    started = await support_now.start(context.app, user.id, user.first_name)
    if update.callback_query is not None:
        await answer_quietly(update.callback_query)
    if started is None:
        await reply(
            update,
            context,
            "circle.support_nobody_named",
            lines=await support_now.crisis_lines(context.bot_data, lang, user.id),
        )
        return
    await picker(update, context, started, new_message=True)


async def on_support_now(update: Update, context: Context, _pressed: Callback) -> None:
    await support_now_command(update, context)


async def picker(
    update: Update, context: Context, escalation: Escalation, *, new_message: bool = False
) -> None:
    """The member ticks who to reach (toggle buttons), then sends."""
    lang = await lang_of(update, context)
    rows: list[list[InlineKeyboardButton]] = []
    for person in await context.bot_data.store.circle.persons(escalation.member_id):
        mark = "✅" if person.id in escalation.persons else "▫️"
        how = t(context, lang, "circle.via_telegram" if person.on_telegram else "circle.via_phone")
        rows.append([btn(f"{mark} {person.name} ({how})", PICK, escalation.id, person.id)])
    rows.append(
        [
            btn(t(context, lang, "circle.btn_send"), PICK_DONE, escalation.id),
            btn(t(context, lang, "circle.btn_cancel"), PICK_CANCEL, escalation.id),
        ]
    )
    key = "circle.pick_member" if escalation.kind == MEMBER else "circle.pick_concern"
    text = t(context, lang, key)
    if new_message and update.effective_chat is not None:
        await context.bot.send_message(
            update.effective_chat.id, text, reply_markup=keyboard(*rows)
        )
        return
    await show(update, context, text, keyboard(*rows))


async def _own(update: Update, context: Context, pressed: Callback) -> Escalation:
    return await support_now.own_escalation(context.app, pressed.number(0), person_of(update).id)


async def on_pick(update: Update, context: Context, pressed: Callback) -> None:
    escalation = await _own(update, context, pressed)
    refreshed = await support_now.toggle(context.app, escalation, pressed.number(1))
    await picker(update, context, refreshed)


async def on_pick_done(update: Update, context: Context, pressed: Callback) -> None:
    escalation = await _own(update, context, pressed)
    approved = await support_now.approve(context.app, escalation)
    lang = await lang_of(update, context)
    await show(update, context, t(context, lang, "circle.reaching"))
    await support_now.reach(context.app, approved, lang)


async def on_pick_cancel(update: Update, context: Context, pressed: Callback) -> None:
    escalation = await _own(update, context, pressed)
    if escalation.kind == ADMIN:
        await _refused(update, context, escalation)
        return
    await support_now.cancel(context.app, escalation)
    lang = await lang_of(update, context)
    await show(update, context, t(context, lang, "circle.support_cancelled"))


# -- the member's answer to a concern --------------------------------------------------------


async def on_approve(update: Update, context: Context, pressed: Callback) -> None:
    escalation = await _own(update, context, pressed)
    picking = await concern.approve(context.app, escalation)
    if picking is None:
        lang = await lang_of(update, context)
        await show(update, context, t(context, lang, "circle.concern_no_persons"))
        return
    await picker(update, context, picking)


async def on_refuse(update: Update, context: Context, pressed: Callback) -> None:
    await _refused(update, context, await _own(update, context, pressed))


async def _refused(update: Update, context: Context, escalation: Escalation) -> None:
    await concern.refuse(context.app, escalation)
    lang = await lang_of(update, context)
    await show(update, context, t(context, lang, "circle.concern_you_said_no"))


async def on_talk_first(update: Update, context: Context, pressed: Callback) -> None:
    await concern.talk_first(context.app, await _own(update, context, pressed))
    lang = await lang_of(update, context)
    await show(update, context, t(context, lang, "circle.concern_you_said_talk"))


# -- an administrator's /concern -------------------------------------------------------------


async def concern_in_group(update: Update, context: Context) -> None:
    """``/concern`` as a reply in the group: deleted at once, whoever sent it — the group never
    sees that a concern was raised; the administrator is answered privately."""
    message = update.effective_message
    chat = update.effective_chat
    if message is None or chat is None:
        return
    await delete_quietly(context.bot, chat.id, message.message_id)
    data = context.bot_data
    sender = message.from_user
    if is_anonymous_admin(message):
        lang = await lang_of(update, context)
        await context.bot.send_message(chat.id, t(context, lang, "circle.concern_anonymous"))
        return
    if sender is None:
        return
    lang = await language_of(data, sender.id)
    if not await data.admins.is_admin(context.bot, chat.id, sender.id, fresh=True):
        await send_private(context.bot, data, sender.id, t(context, lang, "common.admins_only"))
        return
    target = message.reply_to_message.from_user if message.reply_to_message else None
    if target is None or target.is_bot or target.id == sender.id:
        await send_private(context.bot, data, sender.id, t(context, lang, "circle.concern_usage"))
        return
    # The member is asked in their own language: remember it (an old message says nothing
    # about whether they are still in the group, so no membership is recorded).
    await membership.met(data, target.id, target.language_code)
    await _raise(context, chat.id, sender.id, sender.first_name, target.id)


async def concern_private(update: Update, context: Context) -> None:
    """``/concern <member id>`` privately, by an administrator of one of the member's groups."""
    user = person_of(update)
    data = context.bot_data
    member_id = parse_id(context.args[0]) if context.args else None
    if member_id is None or member_id == user.id:
        await reply(update, context, "circle.concern_usage")
        return
    for chat_id in await data.store.users.groups_of(member_id):
        if await data.admins.is_admin(context.bot, chat_id, user.id, fresh=True):
            await _raise(context, chat_id, user.id, user.first_name, member_id)
            return
    await reply(update, context, "circle.concern_not_admin")


async def _raise(
    context: Context, chat_id: int, admin_id: int, admin_name: str, member_id: int
) -> None:
    data = context.bot_data
    lang = await language_of(data, admin_id)
    escalation_id = await concern.raise_concern(
        context.app, chat_id, admin_id, admin_name, member_id
    )
    key = "circle.concern_pending" if escalation_id is None else "circle.concern_asked"
    await send_private(context.bot, data, admin_id, t(context, lang, key))
