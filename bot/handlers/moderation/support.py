"""The excluded member's "Stop check-ins" button (``stop_checkins:SANCTION``)."""

from __future__ import annotations

from telegram import Update

from bot.adapters.callbacks import Callback
from bot.adapters.replies import answer_button, strip_buttons
from bot.context import Context
from bot.delivery import outbox
from bot.moderation import support
from bot.people import language_of


async def on_stop_checkins(update: Update, context: Context, pressed: Callback) -> None:
    """Pressed by the excluded member (only they may): no more check-ins."""
    query = update.callback_query
    if query is None:
        return
    sanction = await support.stop_checkins(
        context.app, pressed.count(1).number(0), query.from_user.id
    )
    data = context.bot_data
    await answer_button(query)
    await strip_buttons(query)
    lang = await language_of(data, query.from_user.id)
    await outbox.send_critical(
        context.app,
        sanction.user_id,
        data.texts.t(lang, "moderation.checkins_stopped"),
        kind="answer",
    )
