"""/feedback: anonymous feedback to a group's facilitators.

It cannot be traced back to the sender, not even from the database: the stored row holds a
random key, the group, the ISO week and the encrypted text — no sender, no exact time, no
arrival order. The draft waits in memory only. The facilitators receive it from the bot,
without the sender. Nothing about it is logged.
"""

from __future__ import annotations

from telegram import Update
from telegram.error import BadRequest, Forbidden
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot.adapters.replies import edit_quietly, send_private
from bot.context import Context
from bot.handlers.common import private_chat_button, reply, user_language
from bot.handlers.talk_shared import (
    AWAITING,
    FEEDBACK_DRAFT,
    button,
    clear_waiting,
    groups_of,
    keyboard,
    t,
)
from bot.people import language_of
from bot.talk.policy import policy

PRIVATE = filters.ChatType.PRIVATE
GROUPS = filters.ChatType.GROUPS


async def feedback_command(update: Update, context: Context) -> None:
    user = update.effective_user
    if user is None:
        return
    data = context.bot_data
    # Deliberately not recording anything about the sender here (not even "seen now").
    clear_waiting(context)
    groups = await groups_of(context, user.id)
    if not groups:
        await reply(update, context, "talk.feedback_no_groups")
        return
    if len(groups) == 1:
        await _ask_text(update, context, groups[0])
        return
    rows = []
    for chat_id in groups:
        group = await data.store.groups.get(chat_id)
        rows.append([button(group.title if group else str(chat_id), f"talk:fb:{chat_id}")])
    await reply(update, context, "talk.feedback_choose_group", reply_markup=keyboard(*rows))


async def feedback_in_group(update: Update, context: Context) -> None:
    lang = await user_language(context, update.effective_user)
    await reply(
        update,
        context,
        "talk.feedback_in_group",
        reply_markup=private_chat_button(context, lang, "feedback"),
    )


async def _ask_text(update: Update, context: Context, chat_id: int) -> None:
    """Say plainly how anonymous it is before anything is written."""
    data = context.bot_data
    user = update.effective_user
    if user is None:
        return
    lang = await user_language(context, user)
    group = await data.store.groups.get(chat_id)
    if context.user_data is not None:
        context.user_data[AWAITING] = {"what": "feedback", "chat": chat_id}
    await send_private(
        context.bot,
        data,
        user.id,
        t(data, lang, "talk.feedback_explain", group=group.title if group else ""),
        reply_markup=keyboard([button(t(data, lang, "talk.feedback_cancel"), "talk:fbx")]),
    )


async def feedback_received(update: Update, context: Context, chat_id: int) -> None:
    """The feedback itself: show it back with Send and Cancel (kept in memory until then)."""
    message = update.effective_message
    if message is None:
        return
    data = context.bot_data
    text = (message.text or "").strip()
    if not text:
        await reply(update, context, "talk.feedback_text_only")
        return
    limit = policy(data).feedback_max_chars
    if len(text) > limit:
        await reply(update, context, "talk.feedback_too_long", limit=limit)
        return
    if context.user_data is not None:
        context.user_data.pop(AWAITING, None)
        context.user_data[FEEDBACK_DRAFT] = {"chat": chat_id, "text": text}
    lang = await user_language(context, update.effective_user)
    await reply(
        update,
        context,
        "talk.feedback_preview",
        text=text,
        reply_markup=keyboard(
            [button(t(data, lang, "talk.feedback_send"), "talk:fbs")],
            [button(t(data, lang, "talk.feedback_cancel"), "talk:fbx")],
        ),
    )


async def on_callback(update: Update, context: Context) -> None:
    query = update.callback_query
    if query is None or query.data is None or query.message is None:
        return
    data = context.bot_data
    lang = await user_language(context, query.from_user)
    parts = query.data.split(":")
    verb = parts[1]
    here = (query.message.chat.id, query.message.message_id)
    if verb == "fb" and len(parts) == 3 and parts[2].lstrip("-").isdigit():
        chat_id = int(parts[2])
        if chat_id not in await groups_of(context, query.from_user.id):
            await query.answer(t(data, lang, "common.stale"), show_alert=True)
            return
        await query.answer()
        group = await data.store.groups.get(chat_id)
        await edit_quietly(
            context.bot,
            *here,
            t(data, lang, "talk.feedback_for", group=group.title if group else ""),
        )
        await _ask_text(update, context, chat_id)
    elif verb == "fbx":
        clear_waiting(context)
        await query.answer()
        await edit_quietly(context.bot, *here, t(data, lang, "talk.feedback_cancelled"))
    elif verb == "fbs":
        draft = (
            context.user_data.pop(FEEDBACK_DRAFT, None) if context.user_data is not None else None
        )
        if not isinstance(draft, dict):
            await query.answer(t(data, lang, "common.stale"), show_alert=True)
            return
        await query.answer()
        chat_id, text = int(draft["chat"]), str(draft["text"])
        await data.store.talk.add_feedback(chat_id, text)
        delivered = await deliver(context, chat_id, text)
        key = "talk.feedback_sent" if delivered else "talk.feedback_kept"
        await edit_quietly(context.bot, *here, t(data, lang, key))
    else:
        await query.answer(t(data, lang, "common.stale"), show_alert=True)


async def deliver(context: Context, chat_id: int, text: str) -> int:
    """To the admin team chat if linked, else to each administrator privately; no sender."""
    from bot.handlers.talk import _admin_ids

    data = context.bot_data
    group = await data.store.groups.get(chat_id)
    if group is None:
        return 0
    if group.admin_chat_id is not None:
        try:
            await context.bot.send_message(
                group.admin_chat_id,
                t(data, group.language, "talk.feedback_delivery", group=group.title, text=text),
            )
            return 1
        except (Forbidden, BadRequest):
            pass
    delivered = 0
    for admin_id in await _admin_ids(context.application, chat_id):  # type: ignore[arg-type]
        person = await data.store.users.get(admin_id)
        if person is None or not person.reachable:
            continue
        lang = await language_of(data, admin_id)
        sent = await send_private(
            context.bot,
            data,
            admin_id,
            t(data, lang, "talk.feedback_delivery", group=group.title, text=text),
        )
        delivered += sent is not None
    return delivered


def handlers() -> list[BaseHandler[Update, Context, None]]:
    return [
        CommandHandler("feedback", feedback_command, filters=PRIVATE),
        CommandHandler("feedback", feedback_in_group, filters=GROUPS),
        CallbackQueryHandler(on_callback, pattern=r"^talk:(fb|fbx|fbs)(:|$)"),
    ]
