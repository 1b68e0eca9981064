"""/listener: members who offer to listen one-to-one, per group, with a pause switch."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot.adapters.replies import edit_quietly
from bot.context import Context
from bot.handlers.common import private_chat_button, reply, user_language
from bot.handlers.talk_shared import button, groups_of, keyboard, t

PRIVATE = filters.ChatType.PRIVATE
GROUPS = filters.ChatType.GROUPS
ALL = "all"


async def _titles(context: Context, chat_ids: list[int]) -> str:
    titles = []
    for chat_id in chat_ids:
        group = await context.bot_data.store.groups.get(chat_id)
        titles.append(group.title if group else str(chat_id))
    return ", ".join(titles)


async def listener_command(update: Update, context: Context) -> None:
    """/listener on|off|pause|resume (without a word: where I listen, and how to change it)."""
    user = update.effective_user
    if user is None:
        return
    data = context.bot_data
    store = data.store
    await store.users.seen_private(user.id, user.language_code)
    word = (context.args[0].lower() if context.args else "").strip()
    listening = await store.talk.listening(user.id)
    if word == "on":
        groups = [
            g for g in await groups_of(context, user.id) if g not in {x.chat_id for x in listening}
        ]
        if not groups:
            key = "talk.listener_all_on" if listening else "talk.listener_no_groups"
            await reply(update, context, key)
            return
        if len(groups) == 1:
            await _turn_on(update, context, groups)
            return
        await _choose(update, context, "on", groups)
    elif word == "off":
        if not listening:
            await reply(update, context, "talk.listener_not_on")
            return
        if len(listening) == 1:
            await store.talk.stop_listening(user.id)
            await reply(
                update,
                context,
                "talk.listener_off",
                groups=await _titles(context, [listening[0].chat_id]),
            )
            return
        await _choose(update, context, "off", [x.chat_id for x in listening])
    elif word in ("pause", "resume"):
        if not listening:
            await reply(update, context, "talk.listener_not_on")
            return
        await store.talk.set_paused(user.id, word == "pause")
        await reply(
            update, context, "talk.listener_paused" if word == "pause" else "talk.listener_resumed"
        )
    else:
        if not listening:
            await reply(update, context, "talk.listener_status_none")
            return
        paused = any(x.paused for x in listening)
        await reply(
            update,
            context,
            "talk.listener_status_paused" if paused else "talk.listener_status",
            groups=await _titles(context, [x.chat_id for x in listening]),
        )


async def listener_in_group(update: Update, context: Context) -> None:
    lang = await user_language(context, update.effective_user)
    await reply(
        update, context, "talk.listener_in_group", reply_markup=private_chat_button(context, lang)
    )


async def _choose(update: Update, context: Context, verb: str, groups: list[int]) -> None:
    data = context.bot_data
    lang = await user_language(context, update.effective_user)
    code = "lon" if verb == "on" else "loff"
    rows = []
    for chat_id in groups:
        group = await data.store.groups.get(chat_id)
        rows.append([button(group.title if group else str(chat_id), f"talk:{code}:{chat_id}")])
    rows.append([button(t(data, lang, "talk.listener_all_groups"), f"talk:{code}:{ALL}")])
    key = "talk.listener_choose_on" if verb == "on" else "talk.listener_choose_off"
    await reply(update, context, key, reply_markup=keyboard(*rows))


async def _turn_on(update: Update, context: Context, groups: list[int]) -> str:
    user = update.effective_user
    if user is None:
        return ""
    store = context.bot_data.store
    for chat_id in groups:
        await store.talk.listen(user.id, chat_id)
    # Offering again means being available again.
    await store.talk.set_paused(user.id, False)
    titles = await _titles(context, groups)
    if update.callback_query is None:
        await reply(update, context, "talk.listener_on", groups=titles)
    return titles


async def on_callback(update: Update, context: Context) -> None:
    query = update.callback_query
    if query is None or query.data is None or query.message is None:
        return
    data = context.bot_data
    user = query.from_user
    lang = await user_language(context, user)
    _, code, target = ([*query.data.split(":"), "", ""])[:3]
    if code == "lon":
        allowed = await groups_of(context, user.id)
    else:
        allowed = [x.chat_id for x in await data.store.talk.listening(user.id)]
    if target == ALL:
        chosen = allowed
    elif target.lstrip("-").isdigit() and int(target) in allowed:
        chosen = [int(target)]
    else:
        chosen = []
    if not chosen:
        await query.answer(t(data, lang, "common.stale"), show_alert=True)
        return
    await query.answer()
    if code == "lon":
        titles = await _turn_on(update, context, chosen)
        text = t(data, lang, "talk.listener_on", groups=titles)
    else:
        for chat_id in chosen:
            await data.store.talk.stop_listening(user.id, chat_id)
        text = t(data, lang, "talk.listener_off", groups=await _titles(context, chosen))
    await edit_quietly(context.bot, query.message.chat.id, query.message.message_id, text)


def handlers() -> list[BaseHandler[Update, Context, None]]:
    return [
        CommandHandler("listener", listener_command, filters=PRIVATE),
        CommandHandler("listener", listener_in_group, filters=GROUPS),
        CallbackQueryHandler(on_callback, pattern=r"^talk:(lon|loff):"),
    ]
