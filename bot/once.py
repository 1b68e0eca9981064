"""An update carried out once: handed to the application's update processor, its id recorded
with its change and after it (ids only, never a body), so the same update sent again is
recognised and skipped.

The id is recorded after the handling only when the handling did something lasting (a write,
a Bot API call that changes something: ``bot/effects.py``); an ordinary group message from a
member the bot knows costs no write at all, and handled again after a crash it would change
nothing.

Shared by the poller (``bot/polling.py``) and the webhook server (``bot/webhook.py``).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Coroutine
from typing import Any

from telegram import Update

from bot import effects
from bot.adapters.ordinary import OrdinaryMessage, ordinary_message
from bot.context import App, OrdinaryPath
from bot.delivery import outbox

log = logging.getLogger(__name__)
KEEP_IDS_SECONDS = 2 * 24 * 3600  # Telegram keeps an unconfirmed update 24 hours
PRUNE_EVERY = 3600
JSONDict = dict[str, Any]


async def was_carried_out(app: App, update_id: int) -> bool:
    if not await app.bot_data.store.handled.was_handled(update_id):
        return False
    log.info("update %s was carried out already: not again", update_id)
    return True


async def carry_out(app: App, update: Update | JSONDict) -> None:
    """Handle ``update`` (handlers' errors are the application's to log), then record its id
    if the handling did something lasting.

    ``update`` is an ``Update``, or the JSON Telegram sent (as the poller and the webhook hand
    it over): an ordinary group message is then handled without building the library's
    objects (``bot/handlers/ordinary.py``), anything else is read by the library first (an
    update it cannot read is skipped, logged by its id only).

    The id is also recorded inside every transaction the handling commits (bookkeeping
    aside), in the same commit: a crash after a command's change (a warning saved, a member
    excluded) and before its last Telegram calls leaves it recorded, so it is not carried out
    a second time after the restart (what the outbox holds from that commit is still
    delivered). An update that commits no such change (``/start``, ``/help``) is carried out
    again after a crash before its id was recorded; the messages it had written already are
    not written again (``outbox.caused_by``), so its answer is not sent twice."""
    handing = _handing(app, update)
    if handing is None:
        return
    update_id, subject, handling = handing
    with effects.watched(update_id) as done:
        try:
            with (
                app.bot_data.store.handled.marked_with_its_changes(update_id),
                outbox.caused_by(update_id),
            ):
                await app.update_processor.process_update(subject, handling)
        except Exception as error:
            log.error("update %s: %s", update_id, type(error).__name__)
            done.lasting = True  # what it did before it failed is not known
    if not done.lasting:
        return
    try:
        await app.bot_data.store.handled.mark(update_id)
    except Exception as error:  # not recorded: it may run again after a crash
        log.warning("update %s not recorded: %s", update_id, type(error).__name__)


def _handing(
    app: App, update: Update | JSONDict
) -> tuple[int, object, Coroutine[Any, Any, Any]] | None:
    """The update's id, what the update processor orders it by, and its handling."""
    if isinstance(update, Update):
        return update.update_id, update, app.process_update(update)
    lean = app.bot_data.ordinary
    message = _ordinary_or_none(update) if lean is not None else None
    if lean is not None and message is not None:
        return message.update_id, message, _ordinary(app, lean, message)
    parsed = read_update(app, update)
    if parsed is None:
        return None
    return parsed.update_id, parsed, app.process_update(parsed)


def _ordinary_or_none(raw: JSONDict) -> OrdinaryMessage | None:
    try:
        return ordinary_message(raw)
    except Exception as error:  # never expected: then it goes the full way
        log.warning(
            "update %s not read as ordinary: %s", raw.get("update_id"), type(error).__name__
        )
        return None


async def _ordinary(app: App, lean: OrdinaryPath, message: OrdinaryMessage) -> None:
    if not await lean(app, message):  # someone new, someone excluded: through the handlers
        parsed = read_update(app, message.raw)
        if parsed is not None:
            await app.process_update(parsed)


def read_update(app: App, raw: JSONDict) -> Update | None:
    """The library's reading of an update's JSON; None (logged by its id only, counted) for a
    shape it cannot read: skipped, never retried for ever."""
    try:
        return Update.de_json(raw, app.bot)
    except Exception:
        log.warning("update %s skipped: python-telegram-bot cannot read it", raw.get("update_id"))
        ops = app.bot_data.ops
        if ops is not None:
            ops.metrics.updates_skipped.inc()
        return None


async def effect_begun(app: App, effect: str) -> bool:
    """Had a run of the update being handled begun ``effect`` (a ban) before a kill? Then it
    may be in place already, and this run goes on to record it instead of refusing."""
    update_id = effects.current_update()
    return update_id is not None and await app.bot_data.store.handled.effect_begun(
        update_id, effect
    )


async def begin_effect(app: App, effect: str) -> None:
    """Note, just before making it, an effect outside the database that a kill could part from
    its record (nothing is noted outside the handling of an update)."""
    update_id = effects.current_update()
    if update_id is not None:
        await app.bot_data.store.handled.begin_effect(update_id, effect)


@contextlib.asynccontextmanager
async def change(app: App, effect: str) -> AsyncIterator[bool]:
    """The change an update's handling makes (a warning saved, with its message to the member),
    as ``outbox.together`` — but made once by itself, without recording the update as carried
    out: killed after it and before the work that follows (the admins' notice, the answer in
    the group, the command removed), the update is carried out again, finds the change made
    (``False``: the block makes it no more) and does the rest; the messages already written
    are not written again (``outbox.caused_by``). Outside an update's handling: ``True``.

        async with once.change(app, f"warn:{chat_id}:{user_id}") as fresh:
            if fresh:
                await store.moderation.add_warning(...)
            row = await outbox.enqueue(...)  # the same row when carried out again
    """
    update_id = effects.current_update()
    handled = app.bot_data.store.handled
    if update_id is not None and await handled.effect_begun(update_id, effect):
        yield False
        return
    async with outbox.together(app, carries_update=update_id is None):
        if update_id is not None:
            await handled.begin_effect(update_id, effect)
        yield True


async def forget_old(app: App) -> None:
    """Forget the ids of updates handled longer ago than Telegram could send them again."""
    store = app.bot_data.store
    removed = await store.handled.prune(store.clock.epoch() - KEEP_IDS_SECONDS)
    if removed:
        log.info("%s ids of old updates forgotten", removed)
