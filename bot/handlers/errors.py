"""The single error handler: refusals become kind answers; failures are logged without content."""

from __future__ import annotations

import logging
from typing import Any

from telegram import Update
from telegram.constants import ChatType
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.adapters.replies import answer_button
from bot.context import Context
from bot.delivery import outbox
from bot.errors import UserFacingError
from bot.people import language_for

log = logging.getLogger(__name__)


async def on_error(update: object, context: Context) -> None:
    """Log the update id and the exception only — never message text, names or numbers."""
    error = context.error
    # An Update, or an ordinary group message read from its JSON (``bot/handlers/ordinary``).
    update_id = getattr(update, "update_id", None)
    if isinstance(error, UserFacingError) and isinstance(update, Update):
        await _answer(update, context, error.key, **error.values)
        return
    if isinstance(error, RetryAfter):
        log.warning("flood limit on update %s: retry after %s s", update_id, error.retry_after)
        return
    if isinstance(error, Forbidden | TimedOut | NetworkError) and not isinstance(
        error, BadRequest
    ):
        log.warning(
            "update %s: Telegram refused or timed out (%s)", update_id, type(error).__name__
        )
        return
    log.error("update %s failed: %s", update_id, type(error).__name__, exc_info=error)
    if isinstance(update, Update):
        chat = update.effective_chat
        if chat is not None and chat.type == ChatType.PRIVATE:
            await _answer(update, context, "error.generic")


async def _answer(update: Update, context: Context, key: str, **values: Any) -> None:
    chat = update.effective_chat
    if chat is None:
        return
    lang = await language_for(context.bot_data, update)
    text = context.bot_data.texts.t(lang, key, **values)
    if update.callback_query is None:
        # Through the outbox: retried if Telegram fails; in a group whose send budget is spent
        # it waits for the worker, not in the update's handling.
        try:
            await outbox.send_critical(context.app, chat.id, text, kind="answer")
        except Exception as error:  # the store itself may be what failed
            log.warning(
                "error answer for update %s not queued: %s", update.update_id, type(error).__name__
            )
        return
    try:
        await answer_button(update.callback_query, text[:190], show_alert=True)
    except (BadRequest, Forbidden, NetworkError):
        log.warning("could not send the error answer for update %s", update.update_id)
