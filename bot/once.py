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
from collections.abc import AsyncIterator

from telegram import Update

from bot import effects
from bot.context import App
from bot.delivery import outbox

log = logging.getLogger(__name__)
KEEP_IDS_SECONDS = 2 * 24 * 3600  # Telegram keeps an unconfirmed update 24 hours
PRUNE_EVERY = 3600


async def was_carried_out(app: App, update_id: int) -> bool:
    if not await app.bot_data.store.handled.was_handled(update_id):
        return False
    log.info("update %s was carried out already: not again", update_id)
    return True


async def carry_out(app: App, update: Update) -> None:
    """Handle ``update`` (handlers' errors are the application's to log), then record its id
    if the handling did something lasting.

    The id is also recorded inside every transaction the handling commits (bookkeeping
    aside), in the same commit: a crash after a command's change (a warning saved, a member
    excluded) and before its last Telegram calls leaves it recorded, so it is not carried out
    a second time after the restart (what the outbox holds from that commit is still
    delivered). An update that commits no such change (``/start``, ``/help``) is carried out
    again after a crash before its id was recorded; the messages it had written already are
    not written again (``outbox.caused_by``), so its answer is not sent twice."""
    with effects.watched(update.update_id) as done:
        try:
            with (
                app.bot_data.store.handled.marked_with_its_changes(update.update_id),
                outbox.caused_by(update.update_id),
            ):
                await app.update_processor.process_update(update, app.process_update(update))
        except Exception as error:
            log.error("update %s: %s", update.update_id, type(error).__name__)
            done.lasting = True  # what it did before it failed is not known
    if not done.lasting:
        return
    try:
        await app.bot_data.store.handled.mark(update.update_id)
    except Exception as error:  # not recorded: it may run again after a crash
        log.warning("update %s not recorded: %s", update.update_id, type(error).__name__)


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
