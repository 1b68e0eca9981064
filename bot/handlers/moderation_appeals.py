"""/appeal: a warned, muted or excluded member writes privately to the group's admins.

The appeal goes to each admin privately (never to the team chat: it is the member's own
words); its text is relayed, not stored. Admins answer with /answer, or lift or keep the
measure with one tap; the appeal and its outcome are audited.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot.adapters.replies import delete_quietly, edit_quietly, send_private
from bot.context import Context
from bot.handlers import moderation_actions as actions
from bot.handlers.common import Actor, private_chat_button, reply, user_language
from bot.moderation import policy
from bot.people import language_of
from bot.records.groups import Group
from bot.records.moderation import Appeal

PRIVATE = filters.ChatType.PRIVATE
MAX_APPEAL_CHARS = 2000


async def _case(context: Context, user_id: int) -> tuple[int, str] | None:
    """The group and measure the member would appeal: an active one first, else the latest."""
    repo = context.bot_data.store.moderation
    since = context.bot_data.clock.epoch() - policy.APPEAL_HORIZON
    sanctions = await repo.recent_sanctions(user_id, since)
    active = [s for s in sanctions if s.status == "active"]
    if active:
        return active[0].chat_id, active[0].kind
    warned = await repo.recently_warned_groups(user_id, since)
    if sanctions and (not warned or sanctions[0].chat_id == warned[0]):
        return sanctions[0].chat_id, sanctions[0].kind
    if warned:
        return warned[0], "warn"
    return None


def _markup(context: Context, lang: str, appeal_id: int) -> InlineKeyboardMarkup:
    texts = context.bot_data.texts
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    texts.t(lang, "moderation.appeal_lift_button"),
                    callback_data=f"mod:ap:{appeal_id}:lift",
                ),
                InlineKeyboardButton(
                    texts.t(lang, "moderation.appeal_keep_button"),
                    callback_data=f"mod:ap:{appeal_id}:keep",
                ),
            ]
        ]
    )


async def appeal(update: Update, context: Context) -> None:
    user = update.effective_user
    if user is None:
        return
    data = context.bot_data
    await data.store.users.seen_private(user.id, user.language_code)
    words = " ".join(context.args or []).strip()[:MAX_APPEAL_CHARS]
    case = await _case(context, user.id)
    if case is None:
        await reply(update, context, "moderation.appeal_nothing")
        return
    if not words:
        await reply(update, context, "moderation.appeal_how")
        return
    repo = data.store.moderation
    now = data.clock.epoch()
    if await repo.appeals_since(user.id, now - policy.APPEAL_WINDOW) >= policy.APPEAL_LIMIT:
        await reply(update, context, "moderation.appeal_too_many")
        return
    chat_id, measure = case
    group = await data.store.groups.get(chat_id)
    if group is None:
        await reply(update, context, "moderation.appeal_nothing")
        return
    made = await repo.add_appeal(chat_id, user.id)
    await actions.audit(
        context,
        "mod.appeal",
        group=group,
        actor=Actor(user_id=user.id),
        target_id=user.id,
        detail=measure,
    )
    lang = group.language
    text = data.texts.t(
        lang,
        "moderation.appeal_admins",
        member=actions.mention(user.id, user.first_name),
        measure=data.texts.t(lang, f"moderation.measure_{measure}"),
        group=group.title,
        words=words,
        id=made.id,
    )
    admins = await data.admins.admins(context.bot, chat_id)
    delivered = 0
    for admin_id in sorted(admins.user_ids):
        sent = await send_private(
            context.bot, data, admin_id, text, reply_markup=_markup(context, lang, made.id)
        )
        if sent is not None:
            delivered += 1
            await repo.add_copy("appeal", made.id, admin_id, sent.message_id)
    if not delivered:
        if group.admin_chat_id is not None:
            await context.bot.send_message(
                group.admin_chat_id, data.texts.t(lang, "moderation.appeal_waiting_team")
            )
        await reply(update, context, "moderation.appeal_undelivered")
        return
    await reply(update, context, "moderation.appeal_sent")


async def _admin_for(
    context: Context, appeal_id: int, user_id: int, *, fresh: bool = False
) -> tuple[Appeal, Group] | str:
    data = context.bot_data
    found = await data.store.moderation.appeal(appeal_id)
    group = await data.store.groups.get(found.chat_id) if found else None
    if found is None or group is None:
        return "common.stale"
    if not await data.admins.is_admin(context.bot, group.chat_id, user_id, fresh=fresh):
        return "common.admins_only"
    return found, group


async def answer(update: Update, context: Context) -> None:
    """/answer ID your words — an admin answers an appeal through the bot."""
    user = update.effective_user
    if user is None:
        return
    data = context.bot_data
    args = list(context.args or [])
    if len(args) < 2 or not args[0].isdigit():
        await reply(update, context, "moderation.answer_how")
        return
    checked = await _admin_for(context, int(args[0]), user.id)
    if isinstance(checked, str):
        await reply(update, context, checked)
        return
    found, group = checked
    words = " ".join(args[1:])[:MAX_APPEAL_CHARS]
    lang = await language_of(data, found.user_id)
    text = data.texts.t(lang, "moderation.appeal_answer", group=group.title, words=words)
    if await send_private(context.bot, data, found.user_id, text) is None:
        await reply(update, context, "moderation.answer_unreached")
        return
    await actions.audit(
        context,
        "mod.appeal_answer",
        group=group,
        actor=Actor(user_id=user.id),
        target_id=found.user_id,
    )
    await reply(update, context, "moderation.answer_sent")


async def on_decision(update: Update, context: Context) -> None:
    query = update.callback_query
    if query is None or query.data is None:
        return
    data = context.bot_data
    lang = await language_of(data, query.from_user.id)
    parts = query.data.split(":")
    if len(parts) != 4 or not parts[2].isdigit() or parts[3] not in ("lift", "keep"):
        await query.answer(data.texts.t(lang, "common.stale"), show_alert=True)
        return
    checked = await _admin_for(context, int(parts[2]), query.from_user.id, fresh=True)
    if isinstance(checked, str):
        await query.answer(data.texts.t(lang, checked), show_alert=True)
        return
    found, group = checked
    lift = parts[3] == "lift"
    actor = Actor(user_id=query.from_user.id)
    if not await data.store.moderation.decide_appeal(
        found.id, "lifted" if lift else "kept", actor.user_id
    ):
        await query.answer(
            data.texts.t(lang, "moderation.report_already_handled"), show_alert=True
        )
        return
    if lift:
        repo = data.store.moderation
        excluded = await repo.active_sanction(group.chat_id, found.user_id, "exclude")
        muted = await repo.active_sanction(group.chat_id, found.user_id, "mute")
        try:
            if excluded is not None:
                await actions.readmit(context, excluded, actor)
            if muted is not None:
                await actions.unmute(context, group, actor, found.user_id)
        except actions.ActionRefusedError as refused:
            await query.answer(data.texts.t(lang, refused.key)[:190], show_alert=True)
            return
    await actions.audit(
        context,
        "mod.appeal_lifted" if lift else "mod.appeal_kept",
        group=group,
        actor=actor,
        target_id=found.user_id,
    )
    member_lang = await language_of(data, found.user_id)
    key = "moderation.appeal_lifted" if lift else "moderation.appeal_kept"
    await send_private(
        context.bot, data, found.user_id, data.texts.t(member_lang, key, group=group.title)
    )
    handled = data.texts.t(
        group.language,
        "moderation.appeal_handled",
        admin=query.from_user.first_name,
        outcome=data.texts.t(group.language, f"moderation.outcome_appeal_{parts[3]}"),
    )
    for copy in await data.store.moderation.copies("appeal", found.id):
        await edit_quietly(context.bot, copy.chat_id, copy.message_id, handled)
    await query.answer()


async def appeal_in_group(update: Update, context: Context) -> None:
    """An appeal is never written in the group: point to the private chat, then remove the
    command (its words are private)."""
    lang = await user_language(context, update.effective_user)
    await reply(
        update,
        context,
        "moderation.appeal_private",
        reply_markup=private_chat_button(context, lang),
    )
    message = update.effective_message
    if message is not None:
        await delete_quietly(context.bot, message.chat.id, message.message_id)


def handlers() -> list[BaseHandler[Update, Context, None]]:
    return [
        CommandHandler("appeal", appeal, filters=PRIVATE),
        CommandHandler("appeal", appeal_in_group, filters=filters.ChatType.GROUPS),
        CommandHandler("answer", answer, filters=PRIVATE),
        CallbackQueryHandler(on_decision, pattern=r"^mod:ap:"),
    ]
