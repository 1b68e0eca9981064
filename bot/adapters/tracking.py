"""Recording, once per update, that a person wrote to the bot privately.

Registered first of all handlers (it never stops the others). A person who writes privately
can be written to from now on; the write happens only the first time (and when their Telegram
language changes), so ordinary private messages cost no database work.

A person who could not be written to before (never started the bot, or blocked it) is marked
as *arrived* for this update (``mark_arrived``): once the update's own handlers have answered,
the router's last group delivers what waited for them.
"""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import TypeHandler

from bot.context import Context


async def track_private(update: Update, context: Context) -> None:
    chat, user = update.effective_chat, update.effective_user
    message = update.message or update.edited_message
    if message is not None:
        # The outbox knows which message ids in a chat are people's, not a lost copy of its
        # own (however the update came: polling, a webhook, a replay).
        context.bot_data.delivery.tracker.saw(message.chat_id, message.message_id)
    if chat is None or user is None or user.is_bot or chat.type != ChatType.PRIVATE:
        return
    if update.my_chat_member is not None:
        return  # blocking and unblocking the bot: its own handler records those
    await context.bot_data.store.handles.remember(user.id, user.username)
    if update.callback_query is not None:
        # A button pressed in a chat the bot opened (a join request's rules) does not let the
        # bot write later: only a message the person sent (/start first) does.
        return
    if await context.bot_data.store.users.seen_private(user.id, user.language_code):
        mark_arrived(context)


ARRIVED = "pamoja.arrived"


def mark_arrived(context: Context) -> None:
    """This update's person can be written to privately from now on (they were not before)."""
    if context.user_data is not None:
        context.user_data[ARRIVED] = True


def take_arrived(context: Context) -> bool:
    """Whether this update's person just arrived (asked once: the mark is taken)."""
    if context.user_data is None:
        return False
    return bool(context.user_data.pop(ARRIVED, False))


def tracking_handler() -> TypeHandler[Update, Context, None]:
    return TypeHandler(Update, track_private)
