"""Critical messages (help texts, consent questions and answers) are never lost.

Each one is written to ``circle_outbox`` (encrypted) and a DB-backed retry is scheduled *before*
the first attempt to send it. A message is claimed before sending, so two attempts never both
send it; a restart re-arms the retry, so a message not yet accepted by Telegram is sent later,
once. When Telegram makes clear it can never be delivered (the person blocked the bot or never
started it), the sender is told.

Buttons travel as plain data (rows of ``(label, button data)``); the Telegram keyboard is built
by the shared adapter only at the moment of sending.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.adapters.keyboards import plain_keyboard
from bot.circle.callbacks import FEATURE, Row

if TYPE_CHECKING:
    from bot.context import App

log = logging.getLogger(__name__)

KIND = f"{FEATURE}.outbox"
LEASE_SECONDS = 120
RETRY_SECONDS = 60
MAX_ATTEMPTS = 6

SENT = "sent"
QUEUED = "queued"
FAILED = "failed"


async def send_critical(
    app: App,
    chat_id: int,
    text: str,
    *,
    kind: str,
    buttons: Sequence[Row] | None = None,
    member_id: int | None = None,
    fail_chat: int | None = None,
    fail_text: str | None = None,
    disclosures: list[int] | None = None,
) -> str:
    """Write, then send. Returns ``sent``, ``queued`` (will be retried) or ``failed``.

    ``disclosures``: the disclosure records this message carries; they become ``seen`` when
    Telegram accepts it, ``undelivered`` when it never can be (the storage does it)."""
    data = app.bot_data
    message_id = await data.store.ledger.enqueue(
        chat_id,
        text,
        kind=kind,
        markup=_stored(buttons) if buttons else None,
        member_id=member_id,
        fail_chat=fail_chat,
        fail_body=fail_text,
        disclosures=disclosures,
    )
    action = await data.scheduler.schedule(
        app,
        KIND,
        data.clock.epoch() + RETRY_SECONDS,
        payload={"id": message_id},
        dedupe_key=f"{KIND}:{message_id}",
    )
    result = await deliver(app, message_id)
    if result != QUEUED:
        await data.store.scheduled.finish(action.id)
        data.scheduler.discard(app, action)
    return result


async def deliver(app: App, message_id: int) -> str:
    data = app.bot_data
    ledger = data.store.ledger
    message = await ledger.outbox(message_id)
    if message is None:
        return FAILED  # erased (/forgetme): nothing to send
    if message.status in (SENT, FAILED):
        return message.status
    if not await ledger.claim(message_id, LEASE_SECONDS):
        return QUEUED
    markup = plain_keyboard(_rows(message.markup)) if message.markup else None
    try:
        await app.bot.send_message(message.chat_id, message.body, reply_markup=markup)
    except Forbidden:
        if message.chat_id > 0:
            await data.store.users.mark_blocked(message.chat_id)
        return await _undeliverable(app, message_id, "forbidden")
    except (RetryAfter, TimedOut, NetworkError) as error:
        if isinstance(error, BadRequest):
            return await _undeliverable(app, message_id, "bad_request")
        if message.attempts + 1 >= MAX_ATTEMPTS:
            return await _undeliverable(app, message_id, "gave_up")
        await ledger.settle(message_id, "pending")
        log.info("outbox %s: will retry (%s)", message_id, type(error).__name__)
        return QUEUED
    await ledger.settle(message_id, SENT)
    return SENT


def _stored(buttons: Sequence[Row]) -> dict[str, Any]:
    """Rows of buttons in the outbox's stored form (Telegram's own keyboard layout)."""
    return {
        "inline_keyboard": [
            [{"text": label, "callback_data": data} for label, data in row] for row in buttons
        ]
    }


def _rows(stored: dict[str, Any]) -> list[list[tuple[str, str]]]:
    return [
        [(str(b["text"]), str(b["callback_data"])) for b in row]
        for row in stored.get("inline_keyboard", [])
    ]


async def _undeliverable(app: App, message_id: int, reason: str) -> str:
    ledger = app.bot_data.store.ledger
    message = await ledger.outbox(message_id)
    await ledger.settle(message_id, FAILED)
    log.info("outbox %s: cannot be delivered (%s)", message_id, reason)
    if message is not None and message.fail_chat is not None and message.fail_body:
        await send_critical(app, message.fail_chat, message.fail_body, kind="failure_notice")
    return FAILED
