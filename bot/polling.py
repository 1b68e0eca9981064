"""Long polling that confirms to Telegram only what was carried out (crash safety).

python-telegram-bot's own polling confirms an update (the next ``getUpdates`` offset) as soon as
it is queued in memory: whatever waits in that queue, or is being handled, dies with the
process. ``SafePoller`` instead hands each update to the application's update processor and
moves the offset it confirms only past the updates that have *finished*: Telegram sends the
others again after a crash.

An update finished here is also recorded by its id (``handled_updates``: ids only, never a
body), right after it was handled, so an update Telegram sends again after a restart is not
carried out twice; an update whose handling did nothing lasting (an ordinary group message) is
not recorded: handled again, it would change nothing (``bot/once.py``). The one window left:
killed after a handler's last write but before its id was recorded (the handler's own last
Telegram calls, then one small insert); that update is carried out again after the restart.

How many updates can be ahead of the oldest unfinished one is bounded by what one
``getUpdates`` returns (100): Telegram gives them from the confirmed offset on. So an update
whose handling waits long (a ban Telegram asks to retry in a minute) keeps the updates after
the first 100 out of sight until it finishes. Sends never wait in a handler (the outbox's
worker waits for a group's budget), so this is rare; when the window has been full for
``FULL_WINDOW_WARNING`` seconds the poller says so in the log (update ids and ages only).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import signal
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

from telegram.error import InvalidToken, RetryAfter, TelegramError, TimedOut

from bot.context import App
from bot.once import PRUNE_EVERY, JSONDict, carry_out, forget_old, was_carried_out

log = logging.getLogger(__name__)
T = TypeVar("T")

POLL_SECONDS = 10  # the long poll, as python-telegram-bot's default
BUSY_PAUSE = 0.2  # between polls while every update Telegram returns is still being handled
DRAIN_SECONDS = 25.0  # at a stop: how long what is running may take to finish
MAX_BACKOFF = 30.0
WINDOW = 100  # the most updates one getUpdates returns
FULL_WINDOW_WARNING = 10.0  # seconds the window may stay full before the log says so
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGABRT)


class SafePoller:
    def __init__(
        self,
        app: App,
        allowed_updates: Sequence[str] | None = None,
        *,
        poll_seconds: int = POLL_SECONDS,
        busy_pause: float = BUSY_PAUSE,
        full_window_warning: float = FULL_WINDOW_WARNING,
    ) -> None:
        self._app = app
        self._full_window_warning = full_window_warning
        self._full_since: float | None = None  # the window is full: nothing new in sight
        self.full_window_warnings = 0
        self._allowed = list(allowed_updates) if allowed_updates is not None else None
        self._poll_seconds = poll_seconds
        self._busy_pause = busy_pause
        self._open: dict[int, asyncio.Task[None]] = {}  # being handled, by update id
        self._top = 0  # the highest id handed to the application in this run
        self._tail: asyncio.Task[None] | None = None  # the last one (one-at-a-time processors)
        self._progress = asyncio.Event()
        self._before_restart = 0  # ids up to this may have been carried out before a restart
        self._next_prune = 0
        self.duplicates = 0  # updates sent again that had been carried out: skipped
        self.handled = 0

    @property
    def offset(self) -> int:
        """The offset to confirm: every update before it has finished."""
        return min(self._open) if self._open else self._top + 1

    async def run(self, stop: asyncio.Event) -> None:
        """Poll and hand updates over until ``stop`` is set; then let what runs finish and
        confirm it. ``InvalidToken`` ends the loop (raised)."""
        self._before_restart = await self._app.bot_data.store.handled.highest() or 0
        delay = 0.0
        try:
            while not stop.is_set():
                await self._prune()
                try:
                    batch = await _unless_stopped(stop, self._poll())
                except InvalidToken:
                    raise
                except RetryAfter as error:
                    delay = _seconds(error.retry_after)
                    log.warning("polling: Telegram asks to wait %.0f s", delay)
                except TimedOut:
                    delay = 0.0
                    continue
                except TelegramError as error:
                    delay = 1.0 if delay == 0 else min(MAX_BACKOFF, delay * 1.5)
                    log.warning("polling: %s; trying again in %.1f s", type(error).__name__, delay)
                else:
                    delay = 0.0
                    if batch is not None and not await self._take(batch) and self._open:
                        self._watch_window(len(batch))
                        await self._wait_progress(stop)
                    else:
                        self._full_since = None
                    continue
                await _unless_stopped(stop, asyncio.sleep(delay))
        finally:
            await self._drain()

    async def _poll(self) -> list[JSONDict]:
        # While updates are being handled Telegram returns them again at once: no long poll.
        return await fetch_updates(
            self._app,
            self.offset if self._top else None,
            0 if self._open else self._poll_seconds,
            self._allowed,
        )

    async def _take(self, batch: Sequence[JSONDict]) -> int:
        """Hand the new updates of ``batch`` to the application, in order; how many."""
        taken = 0
        for raw in batch:
            update_id = raw.get("update_id")
            if not isinstance(update_id, int) or update_id <= self._top:
                continue  # being handled, or finished and waiting to be confirmed
            self._top = update_id
            if update_id <= self._before_restart and await self._carried_out(update_id):
                continue
            self._start(update_id, raw)
            taken += 1
        return taken

    def _watch_window(self, returned: int) -> None:
        """Nothing new came back: is that because the window is full (every update Telegram
        returned is one being handled or waiting to be confirmed behind the oldest)?"""
        if returned < WINDOW:
            self._full_since = None
            return
        now = time.monotonic()
        if self._full_since is None:
            self._full_since = now
        elif now - self._full_since >= self._full_window_warning:
            self._full_since = now  # once per period, not on every poll
            self.full_window_warnings += 1
            oldest = min(self._open)
            log.warning(
                "polling: update %s is still being handled; the %s after it fill what "
                "Telegram returns, so newer updates wait until it finishes",
                oldest,
                WINDOW - 1,
            )

    async def _carried_out(self, update_id: int) -> bool:
        try:
            done = await was_carried_out(self._app, update_id)
        except Exception as error:  # unknown: carried out (again) rather than lost
            log.warning("update %s: record unreadable (%s)", update_id, type(error).__name__)
            return False
        self.duplicates += done
        return done

    def _start(self, update_id: int, raw: JSONDict) -> None:
        after = self._tail if self._app.update_processor.max_concurrent_updates == 1 else None
        task = asyncio.create_task(self._carry_out(update_id, raw, after))
        self._open[update_id] = task
        self._tail = task

    async def _carry_out(
        self, update_id: int, raw: JSONDict, after: asyncio.Task[None] | None
    ) -> None:
        cancelled = False
        try:
            if after is not None:  # one at a time, in order: after the one before
                await asyncio.wait({after})
            await carry_out(self._app, raw)
            self.handled += 1
        except asyncio.CancelledError:
            cancelled = True  # unfinished: it stays open, so a stop does not confirm it
            raise
        finally:
            if not cancelled:
                self._open.pop(update_id, None)
            self._progress.set()

    async def _wait_progress(self, stop: asyncio.Event) -> None:
        """Until an update being handled finishes (or a short pause: new ones may wait)."""
        self._progress.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(_unless_stopped(stop, self._progress.wait()), self._busy_pause)

    async def _prune(self) -> None:
        now = self._app.bot_data.clock.epoch()
        if now >= self._next_prune:
            self._next_prune = now + PRUNE_EVERY
            try:
                await forget_old(self._app)
            except Exception as error:  # tried again in an hour
                log.warning("polling: old ids not forgotten (%s)", type(error).__name__)

    async def _drain(self) -> None:
        """Let what is being handled finish (within DRAIN_SECONDS), then confirm it."""
        running = set(self._open.values())
        if running:
            log.info("stopping: %s updates being handled finish first", len(running))
            _, late = await asyncio.wait(running, timeout=DRAIN_SECONDS)
            for task in late:  # not confirmed: Telegram sends them again
                task.cancel()
            if late:
                await asyncio.wait(late)
        if not self._top:
            return
        try:
            await fetch_updates(self._app, self.offset, 0, self._allowed, limit=1)
        except TelegramError as error:  # the ids are recorded: a re-sent one is skipped
            log.warning("stopping: could not confirm the last updates (%s)", type(error).__name__)


async def fetch_updates(
    app: App,
    offset: int | None,
    long_poll: int,
    allowed_updates: Sequence[str] | None = None,
    limit: int | None = None,
) -> list[JSONDict]:
    """``getUpdates``, as the JSON Telegram sent: each update is read where it is carried out
    (``bot/once.py``), so an ordinary group message is never turned into objects, and one the
    library cannot read is skipped there, not fetched for ever (``Bot.get_updates`` reads the
    whole answer at once: one such update made it fail on every fetch)."""
    data: JSONDict = {"timeout": long_poll}
    if offset is not None:
        data["offset"] = offset
    if limit is not None:
        data["limit"] = limit
    if allowed_updates is not None:
        data["allowed_updates"] = list(allowed_updates)
    # As Bot.get_updates does: the transport's own read timeout, plus the long poll's.
    bot = app.bot
    read_timeout = (bot._request[0].read_timeout or 0) + long_poll
    result = await bot._post("getUpdates", data, read_timeout=read_timeout)
    return [raw for raw in result if isinstance(raw, dict)] if isinstance(result, list) else []


def _seconds(retry_after: int | dt.timedelta) -> float:
    return retry_after.total_seconds() if isinstance(retry_after, dt.timedelta) else retry_after


async def _unless_stopped(stop: asyncio.Event, work: Awaitable[T]) -> T | None:
    """``work``'s result, or None if ``stop`` was set first (``work`` is then cancelled)."""
    task = asyncio.ensure_future(work)
    stopping = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait({task, stopping}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopping.cancel()
    if task.done():
        return task.result()
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    return None


def run_polling(app: App, allowed_updates: Sequence[str]) -> None:
    """What ``Application.run_polling`` does, with the ``SafePoller``: start the application,
    poll until SIGINT/SIGTERM/SIGABRT, let what runs finish, confirm it, shut down."""
    run_until_stopped(lambda stop: serve(app, SafePoller(app, allowed_updates), stop))


async def serve(app: App, poller: SafePoller, stop: asyncio.Event) -> None:
    async def poll() -> None:
        await app.bot.delete_webhook(drop_pending_updates=False)
        await app.start()
        await poller.run(stop)

    await lifetime(app, stop, poll)


def run_until_stopped(work: Callable[[asyncio.Event], Awaitable[None]]) -> None:
    """Run ``work(stop)`` on the current loop; SIGINT, SIGTERM or SIGABRT set ``stop``."""
    loop = asyncio.get_event_loop()
    stop = asyncio.Event()
    for sig in STOP_SIGNALS:
        loop.add_signal_handler(sig, stop.set)
    try:
        loop.run_until_complete(work(stop))
    finally:
        for sig in STOP_SIGNALS:
            loop.remove_signal_handler(sig)


async def lifetime(app: App, stop: asyncio.Event, run: Callable[[], Awaitable[None]]) -> None:
    """What ``Application.run_polling`` and ``run_webhook`` do around receiving updates:
    initialise, start-up hook, ``run``, then stop and shut down (hooks included)."""
    try:
        await app.initialize()
        if app.post_init:
            await app.post_init(app)
        if not stop.is_set():
            await run()
    finally:
        if app.running:
            await app.stop()
            if app.post_stop:
                await app.post_stop(app)
        await app.shutdown()
        if app.post_shutdown:
            await app.post_shutdown(app)
