"""Continued support while a member is excluded: check-ins, stopping them, and the end.

Both the end of an exclusion and the check-ins are rows in ``scheduled_actions``: they survive
restarts, and one that fell due while the bot was down is done at start-up.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.adapters.replies import send_private
from bot.context import App, Context
from bot.handlers import moderation_actions as actions
from bot.people import language_of
from bot.records.moderation import Sanction
from bot.records.scheduled import ScheduledAction
from bot.scheduler import ActionHandler


async def _sanction_of(app: App, action: ScheduledAction) -> Sanction | None:
    sanction_id = action.payload.get("sanction")
    if not isinstance(sanction_id, int):
        return None
    return await app.bot_data.store.moderation.sanction(sanction_id)


async def end_exclusion(app: App, action: ScheduledAction) -> None:
    """The time is up: lift the ban, send a single-use link and a welcome back."""
    sanction = await _sanction_of(app, action)
    if sanction is None or sanction.status != "active":
        return
    await actions.readmit(app, sanction, None)


async def check_in(app: App, action: ScheduledAction) -> None:
    """A private, gentle check-in while the member is out (they can stop these)."""
    sanction = await _sanction_of(app, action)
    if sanction is None or sanction.status != "active" or not sanction.checkins:
        return
    data = app.bot_data
    group = await data.store.groups.get(sanction.chat_id)
    if group is None:
        return
    lang = await language_of(data, sanction.user_id)
    text = data.texts.t(
        lang,
        "moderation.checkin",
        group=group.title,
        until=actions.when_text(data, group, sanction.ends_at, lang),
    )
    await send_private(
        app.bot,
        data,
        sanction.user_id,
        text,
        reply_markup=actions.stop_checkins_markup(data, lang, sanction.id),
    )


async def remind_admin(app: App, action: ScheduledAction) -> None:
    """A day before the end: remind the member's named admin that a check-in can help."""
    sanction = await _sanction_of(app, action)
    if sanction is None or sanction.status != "active":
        return
    data = app.bot_data
    group = await data.store.groups.get(sanction.chat_id)
    if group is None:
        return
    lang = group.language
    text = data.texts.t(
        lang,
        "moderation.admin_reminder",
        member=actions.mention(sanction.user_id, str(sanction.user_id)),
        group=group.title,
        until=actions.when_text(data, group, sanction.ends_at, lang),
    )
    contact = sanction.contact_id
    if contact is not None and await send_private(app.bot, data, contact, text) is not None:
        return
    await actions.tell_admins(app, group, text)


async def on_stop(update: Update, context: Context) -> None:
    """ "Stop check-ins", pressed by the excluded member."""
    query = update.callback_query
    if query is None or query.data is None:
        return
    data = context.bot_data
    lang = await language_of(data, query.from_user.id)
    parts = query.data.split(":")
    sanction = None
    if len(parts) == 3 and parts[2].isdigit():
        sanction = await data.store.moderation.sanction(int(parts[2]))
    if sanction is None or sanction.status != "active":
        await query.answer(data.texts.t(lang, "common.stale"), show_alert=True)
        return
    if sanction.user_id != query.from_user.id:
        await query.answer(data.texts.t(lang, "common.not_for_you"), show_alert=True)
        return
    await data.store.moderation.stop_checkins(sanction.id)
    await data.scheduler.cancel(
        actions.app_of(context),
        actions.KIND_CHECKIN,
        chat_id=sanction.chat_id,
        user_id=sanction.user_id,
    )
    await query.answer()
    await query.edit_message_reply_markup(None)
    await send_private(
        context.bot, data, sanction.user_id, data.texts.t(lang, "moderation.checkins_stopped")
    )


def handlers() -> list[BaseHandler[Update, Context, None]]:
    return [CallbackQueryHandler(on_stop, pattern=r"^mod:stop:")]


def jobs() -> dict[str, ActionHandler]:
    return {
        actions.KIND_END: end_exclusion,
        actions.KIND_CHECKIN: check_in,
        actions.KIND_REMINDER: remind_admin,
    }
