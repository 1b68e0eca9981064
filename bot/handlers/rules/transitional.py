"""TRANSITIONAL — delete this module (and its one line in ``__init__``) once circle's
``drafts()`` and talk's private ``MessageHandler`` are gone from group 0.

Until then those two handlers take every private text before the router's one private-words
dispatcher can see it, so the words the rules feature awaits (a guided ``/setrules``) are handed
to its receiver here, one group earlier. It does what the router will do for ``rules.*`` kinds
and nothing else: any other message goes on untouched.
"""

from __future__ import annotations

from collections.abc import Mapping

from telegram import Update
from telegram.ext import ApplicationHandlerStop, MessageHandler, filters

from bot.context import Context
from bot.errors import UserFacingError
from bot.handlers.feature import AwaitingReceiver


def awaited_words(receivers: Mapping[str, AwaitingReceiver]) -> MessageHandler[Context, None]:
    async def hand_over(update: Update, context: Context) -> None:
        user = update.effective_user
        if user is None:
            return
        waiting = await context.bot_data.store.awaiting.current(user.id)
        receiver = receivers.get(waiting.kind) if waiting is not None else None
        if waiting is None or receiver is None:
            return
        try:
            await receiver(update, context, waiting)
        except UserFacingError as error:
            await context.application.process_error(update, error)  # the one error handler
        raise ApplicationHandlerStop

    return MessageHandler(
        filters.ChatType.PRIVATE & ~filters.COMMAND & filters.UpdateType.MESSAGE, hand_over
    )
