"""Reports by members (/report) and solicitation flags by the bot, and the admins' one-tap answers.

The reporter is never shown to anyone: their /report message is removed from the group, and
only a keyed digest of their id is kept (to count one member's reports of a message once and to
limit floods). No message text is stored; admins get a link to the message.
"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.adapters.replies import delete_quietly, edit_quietly, send_private
from bot.context import BotData, Context
from bot.handlers import moderation_actions as actions
from bot.handlers.common import Actor, group_admin, is_anonymous_admin, reply
from bot.i18n import Safe
from bot.moderation import policy, prefilter
from bot.moderation.solicitation import assess
from bot.people import language_of
from bot.records.groups import Group
from bot.records.moderation import Report

log = logging.getLogger(__name__)

GROUPS = filters.ChatType.GROUPS

# Button verbs: w warn, m mute a day, x remove the message, s exclude as solicitor, ok no action.
REPORT_VERBS = ("w", "m", "x", "ok")
FLAG_VERBS = ("s", "w", "ok")


def tell_markup(data: BotData, lang: str, chat_id: int, user_id: int) -> InlineKeyboardMarkup:
    label = data.texts.t(lang, "moderation.tell_button")
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=f"mod:tell:{chat_id}:{user_id}")]]
    )


def _markup(data: BotData, lang: str, report: Report) -> InlineKeyboardMarkup:
    verbs = FLAG_VERBS if report.kind == "flag" else REPORT_VERBS
    buttons = [
        InlineKeyboardButton(
            data.texts.t(lang, f"moderation.button_{report.kind}_{verb}"),
            callback_data=f"mod:r:{report.id}:{verb}",
        )
        for verb in verbs
    ]
    return InlineKeyboardMarkup([buttons[:2], buttons[2:]])


def _open_text(data: BotData, group: Group, report: Report, name: str, note: str | None) -> str:
    lang = group.language
    link = policy.message_link(group.chat_id, report.message_id)
    where = (
        data.texts.t(lang, "moderation.report_link", link=link)
        if link
        else data.texts.t(lang, "moderation.report_no_link")
    )
    key = "moderation.flag_admins" if report.kind == "flag" else "moderation.report_admins"
    text = data.texts.t(
        lang,
        key,
        group=group.title,
        member=actions.mention(report.target_id, name) if report.target_id else name,
        where=Safe(where),
        count=report.reports,
    )
    if note:
        return text + "\n" + data.texts.t(lang, "moderation.report_note", note=note)
    return text


def _handled_text(data: BotData, group: Group, report: Report, admin: str) -> str:
    lang = group.language
    return data.texts.t(
        lang,
        "moderation.report_handled",
        kind=data.texts.t(lang, f"moderation.kind_{report.kind}"),
        group=group.title,
        admin=admin,
        outcome=data.texts.t(lang, f"moderation.outcome_{report.outcome or 'ok'}"),
    )


# -- /report ------------------------------------------------------------------------------------


async def report(update: Update, context: Context) -> None:
    message = update.effective_message
    chat = update.effective_chat
    user = update.effective_user
    if message is None or chat is None or user is None:
        return
    data = context.bot_data
    replied = message.reply_to_message
    if replied is None or replied.from_user is None or replied.from_user.id == context.bot.id:
        await reply(update, context, "moderation.report_how")
        return
    group = await data.store.groups.get(chat.id)
    if group is None:
        await reply(update, context, "moderation.not_set_up")
        return
    # The report itself must not show who reported: take the command out of the group.
    await delete_quietly(context.bot, chat.id, message.message_id)
    repo = data.store.moderation
    lang = await language_of(data, user.id)
    reporter = repo.reporter_digest(user.id)
    now = data.clock.epoch()
    recent = await repo.reports_by_since(reporter, now - policy.REPORT_WINDOW)
    if not policy.report_allowed(recent):
        await send_private(
            context.bot, data, user.id, data.texts.t(lang, "moderation.report_too_many")
        )
        return
    target_id = None if replied.sender_chat is not None else replied.from_user.id
    found, created = await repo.open_report(chat.id, replied.message_id, target_id, "report")
    counted = await repo.add_reporter(found.id, reporter)
    thanks = "moderation.report_thanks" if counted else "moderation.report_already"
    await send_private(context.bot, data, user.id, data.texts.t(lang, thanks))
    if not counted:
        return
    current = await repo.report(found.id)
    assert current is not None  # noqa: S101 - just read
    name = replied.from_user.first_name or str(replied.from_user.id)
    note = " ".join(context.args or []).strip()[: policy.MAX_REASON_CHARS] or None
    if created:
        await actions.audit(context, "mod.report", group=group, actor=None, target_id=target_id)
    if current.status != "open":
        return
    text = _open_text(data, group, current, name, note if created else None)
    markup = _markup(data, group.language, current)
    if created:
        await actions.tell_admins(
            context, group, text, markup=markup, item="report", item_id=current.id
        )
        return
    for copy in await repo.copies("report", current.id):
        await edit_quietly(context.bot, copy.chat_id, copy.message_id, text, reply_markup=markup)


# -- solicitation flags (handler group OBSERVERS) -----------------------------------------------


async def observe(update: Update, context: Context) -> None:
    """Score an ordinary group message; only a flagged one touches the database or network."""
    message = update.message
    if message is None or message.from_user is None or message.from_user.is_bot:
        return
    if message.sender_chat is not None or is_anonymous_admin(message):
        return
    text = message.text or message.caption
    if not text:
        return
    data = context.bot_data
    if not await data.moderation.flagging_on(data.store.groups, message.chat.id):
        return
    repeated = data.moderation.tracker.observe(
        message.chat.id, message.from_user.id, text, message_id=message.message_id
    )
    if not prefilter.default().may_flag(text):
        return  # no selling signal can occur: the scorer could not flag it
    verdict = assess(text, repeated_contact=repeated.repeated)
    if not verdict.flagged:
        return
    group = await data.store.groups.get(message.chat.id)
    if group is None:
        return
    if await data.admins.is_admin(context.bot, group.chat_id, message.from_user.id):
        return
    repo = data.store.moderation
    since = data.clock.epoch() - policy.FLAG_QUIET_SECONDS
    if await repo.has_open_flag(group.chat_id, message.from_user.id, since):
        return  # the admins already have an open flag about this sender
    found, created = await repo.open_report(
        group.chat_id, message.message_id, message.from_user.id, "flag"
    )
    if not created:
        return
    await actions.audit(
        context,
        "mod.flag",
        group=group,
        actor=None,
        target_id=message.from_user.id,
        detail=",".join(verdict.reasons),
    )
    name = message.from_user.first_name or str(message.from_user.id)
    await actions.tell_admins(
        context,
        group,
        _open_text(data, group, found, name, None),
        markup=_markup(data, group.language, found),
        item="report",
        item_id=found.id,
    )


# -- the admins' one-tap answers ----------------------------------------------------------------


async def on_button(update: Update, context: Context) -> None:
    query = update.callback_query
    if query is None or query.data is None:
        return
    data = context.bot_data
    repo = data.store.moderation
    parts = query.data.split(":")
    stale = data.texts.t(data.settings.default_language, "common.stale")
    if len(parts) != 4 or not parts[2].isdigit():
        await query.answer(stale, show_alert=True)
        return
    found = await repo.report(int(parts[2]))
    verb = parts[3]
    group = await data.store.groups.get(found.chat_id) if found else None
    if found is None or group is None:
        await query.answer(stale, show_alert=True)
        return
    allowed = FLAG_VERBS if found.kind == "flag" else REPORT_VERBS
    lang = group.language
    if verb not in allowed:
        await query.answer(data.texts.t(lang, "common.stale"), show_alert=True)
        return
    presser = query.from_user
    if not await data.admins.is_admin(context.bot, group.chat_id, presser.id):
        await query.answer(data.texts.t(lang, "common.admins_only"), show_alert=True)
        return
    if found.status != "open":
        await _refresh_copies(context, group, found)
        await query.answer(
            data.texts.t(lang, "moderation.report_already_handled"), show_alert=True
        )
        return
    outcome = {"w": "warn", "m": "mute", "x": "removed", "s": "solicitor", "ok": "ok"}[verb]
    # First admin to act claims it; every other admin's press finds it handled.
    if not await repo.handle_report(found.id, outcome, presser.id):
        current = await repo.report(found.id)
        if current is not None:
            await _refresh_copies(context, group, current)
        await query.answer(
            data.texts.t(lang, "moderation.report_already_handled"), show_alert=True
        )
        return
    actor = Actor(user_id=presser.id)
    try:
        await _act(context, group, actor, found, verb)
    except (actions.ActionRefusedError, policy.CommandError) as refused:
        await repo.reopen_report(found.id)
        key = refused.key if isinstance(refused, actions.ActionRefusedError) else "common.stale"
        await query.answer(data.texts.t(lang, key)[:190], show_alert=True)
        return
    await actions.audit(
        context,
        "mod.report_outcome",
        group=group,
        actor=actor,
        target_id=found.target_id,
        detail=f"{found.kind}:{outcome}",
    )
    current = await repo.report(found.id)
    if current is not None:
        await _refresh_copies(context, group, current, presser.first_name)
    await query.answer(data.texts.t(lang, "moderation.report_done"))


async def _act(context: Context, group: Group, actor: Actor, found: Report, verb: str) -> None:
    target = found.target_id
    if verb == "ok":
        return
    if verb == "x":
        await delete_quietly(context.bot, group.chat_id, found.message_id)
        return
    if target is None:
        raise actions.ActionRefusedError("moderation.refuse_service")
    reason = context.bot_data.texts.t(group.language, f"moderation.reason_from_{found.kind}")
    if verb == "w":
        await actions.warn(context, group, actor, target, reason)
    elif verb == "m":
        await actions.mute(context, group, actor, target, policy.REPORT_MUTE_SECONDS, reason)
    elif verb == "s":
        await actions.solicitor(context, group, actor, target, reason)


async def _refresh_copies(
    context: Context, group: Group, found: Report, admin_name: str | None = None
) -> None:
    data = context.bot_data
    if admin_name is None:
        admin_name = data.texts.t(group.language, "moderation.an_admin")
        if found.handled_by is not None:
            admin_name = await actions.member_name(
                context.bot, group.chat_id, found.handled_by, admin_name
            )
    text = _handled_text(data, group, found, admin_name)
    for copy in await data.store.moderation.copies("report", found.id):
        await edit_quietly(context.bot, copy.chat_id, copy.message_id, text, reply_markup=None)


# -- /flagging on|off ---------------------------------------------------------------------------


async def flagging(update: Update, context: Context) -> None:
    chat = update.effective_chat
    if chat is None:
        return
    actor = await group_admin(update, context)
    if actor is None:
        return
    data = context.bot_data
    group = await data.store.groups.get(chat.id)
    if group is None:
        await reply(update, context, "moderation.not_set_up")
        return
    args = [a.lower() for a in context.args or []]
    if not args or args[0] not in ("on", "off", "washa", "zima"):
        state = "moderation.flagging_is_on" if group.flagging else "moderation.flagging_is_off"
        await reply(update, context, state)
        return
    value = args[0] in ("on", "washa")
    await data.store.groups.update_setting(chat.id, "flagging", int(value))
    data.moderation.set_flagging(chat.id, value)
    await actions.audit(
        context,
        "mod.flagging_set",
        group=group,
        actor=actor,
        target_id=None,
        detail="on" if value else "off",
    )
    await reply(update, context, "moderation.flagging_on" if value else "moderation.flagging_off")


def handlers() -> list[BaseHandler[Update, Context, None]]:
    return [
        CommandHandler("report", report, filters=GROUPS),
        CommandHandler("flagging", flagging, filters=GROUPS),
        CallbackQueryHandler(on_button, pattern=r"^mod:r:"),
    ]


def observers() -> list[BaseHandler[Update, Context, None]]:
    return [
        MessageHandler(
            GROUPS
            & (filters.TEXT | filters.CAPTION)
            & ~filters.COMMAND
            & filters.UpdateType.MESSAGE,
            observe,
        )
    ]
