"""/stats in private: a group's figures for its administrators (a picker for several)."""

from __future__ import annotations

from telegram import Update

from bot.adapters.callbacks import Callback
from bot.adapters.keyboards import button, keyboard
from bot.adapters.replies import reply
from bot.context import Context
from bot.errors import AdminsOnlyError
from bot.people import language_of
from bot.rules.editing import admin_groups
from bot.sessions import FEATURE, callbacks, report
from bot.talk.members import title


async def _show(update: Update, context: Context, chat_id: int) -> None:
    user = update.effective_user
    if user is None:
        return
    data = context.bot_data
    lang = await language_of(data, user.id, user.language_code)
    table = await report.month_table(data, lang, chat_id)
    await reply(update, context, "sessions.stats", group=await title(data, chat_id), table=table)


async def stats_command(update: Update, context: Context) -> None:
    user = update.effective_user
    if user is None:
        return
    app = context.app
    groups = await admin_groups(app, user.id)
    if not groups:
        await reply(update, context, "sessions.stats_not_admin")
        return
    if len(groups) == 1:
        await _show(update, context, groups[0])
        return
    data = app.bot_data
    rows = [
        [
            button(
                await title(data, chat_id, fallback=str(chat_id)),
                FEATURE,
                callbacks.STATS,
                chat_id,
            )
        ]
        for chat_id in groups
    ]
    await reply(update, context, "sessions.stats_choose", reply_markup=keyboard(*rows))


async def stats_group(update: Update, context: Context, pressed: Callback) -> None:
    query = update.callback_query
    if query is None:
        return
    chat_id = pressed.count(1).number(0)
    if not await context.bot_data.admins.is_admin(
        context.bot, chat_id, query.from_user.id, fresh=True
    ):
        raise AdminsOnlyError
    await query.answer()
    await _show(update, context, chat_id)
