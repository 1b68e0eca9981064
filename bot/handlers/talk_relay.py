"""TRANSITIONAL, for ``bot/handlers/circle.py`` only (delete when circle stops importing it).

Circle's private-text handler runs before the router's dispatcher and hands on the text it
does not take to ``on_private_message``. This does what the router does for the talk feature:
what talk awaits, else the relay of an open conversation, else the usual hint.
"""

from __future__ import annotations

from telegram import Update

from bot.context import Context
from bot.handlers import start, talk

_TALK = talk.feature()


async def on_private_message(update: Update, context: Context) -> None:
    user = update.effective_user
    if user is None:
        return
    waiting = await context.bot_data.store.awaiting.current(user.id)
    receiver = _TALK.awaiting.get(waiting.kind) if waiting is not None else None
    if receiver is not None and waiting is not None:
        await receiver(update, context, waiting)
        return
    for catcher in _TALK.private_catchers:
        if await catcher(update, context):
            return
    await start.plain_private(update, context)
