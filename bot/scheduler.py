"""Timed work that survives restarts.

Every obligation (an exclusion ending, a check-in, a rules reminder) is first written to the
``scheduled_actions`` table, then armed on PTB's JobQueue as a job named ``"{kind}:{id}"`` if it
falls due within the armed window (the next ``WINDOW`` seconds); later ones wait in the database
and a refill job arms each next window in pages of ``PAGE``, so start-up does not grow with the
work waiting. At start-up the window's pending rows are armed, overdue ones at once
(APScheduler would silently drop a job armed in the past), so work missed while the bot was
down is done once. Of a series that fell due while the bot was down (the daily check-ins of an
exclusion), only the latest is done: a kind registered ``latest_only`` closes the earlier
overdue ones (``cancelled``). A handler that raises ``RetryLaterError`` is tried again later;
one that succeeds closes its row, so it runs once even if two jobs race.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import suppress
from typing import TYPE_CHECKING, Any, cast

from apscheduler.jobstores.base import JobLookupError
from telegram.error import BadRequest, NetworkError, RetryAfter

from bot.records.scheduled import ScheduledAction

if TYPE_CHECKING:
    from telegram.ext import Job, JobQueue

    from bot.context import App, Context

log = logging.getLogger(__name__)

ActionHandler = Callable[["App", ScheduledAction], Awaitable[None]]
MAX_ATTEMPTS = 8
WINDOW = 2 * 3600
PAGE = 5000
REFILL_EVERY = 15 * 60
REFILL_JOB = "scheduler:refill"


class RetryLaterError(Exception):
    """The action could not be done now (Telegram flood limit, network): try again later."""

    def __init__(self, seconds: int = 60) -> None:
        super().__init__(seconds)
        self.seconds = seconds


class Scheduler:
    def __init__(self) -> None:
        self._handlers: dict[str, ActionHandler] = {}
        self._latest_only: set[str] = set()
        self._armed_until: int | None = None
        self._jobs: dict[int, Job[Context]] = {}

    def register(self, kind: str, handler: ActionHandler, *, latest_only: bool = False) -> None:
        """``latest_only``: of several actions of this kind for the same chat and person that
        are all overdue (the bot was down), only the latest is done; the others are closed as
        ``cancelled`` (one check-in after downtime, not a pile)."""
        if kind in self._handlers:
            raise ValueError(f"a handler for {kind!r} is already registered")
        self._handlers[kind] = handler
        if latest_only:
            self._latest_only.add(kind)

    @property
    def kinds(self) -> frozenset[str]:
        return frozenset(self._handlers)

    async def schedule(
        self,
        app: App,
        kind: str,
        due_at: int,
        *,
        chat_id: int | None = None,
        user_id: int | None = None,
        payload: dict[str, Any] | None = None,
        dedupe_key: str | None = None,
    ) -> ScheduledAction:
        if kind not in self._handlers:
            raise ValueError(f"no handler registered for {kind!r}")
        action = await app.bot_data.store.scheduled.add(
            kind,
            due_at,
            chat_id=chat_id,
            user_id=user_id,
            payload=payload,
            dedupe_key=dedupe_key,
        )
        if self._armed_until is None or action.due_at <= self._armed_until:
            self.arm(app, action)
        else:
            self.discard(action.id)  # a twin moved beyond the window must not fire early
        return action

    @staticmethod
    def _queue(app: App) -> JobQueue[Context]:
        if app.job_queue is None:
            raise RuntimeError("the JobQueue is missing: install python-telegram-bot[job-queue]")
        return app.job_queue

    @staticmethod
    def _name(kind: str, action_id: int) -> str:
        return f"{kind}:{action_id}"

    def discard(self, action_id: int) -> None:
        """Take an action's job off the JobQueue (its row is the caller's business)."""
        job = self._jobs.pop(action_id, None)
        if job is not None and not job.removed:
            # JobLookupError: it has just been handed to run (and will find its row as it is).
            with suppress(JobLookupError):
                job.schedule_removal()

    def arm(self, app: App, action: ScheduledAction) -> None:
        """Put an action on the JobQueue (in place of its earlier job, if any).

        Armed from an empty context: APScheduler wakes itself up, and starts the jobs, in the
        context of whoever armed it last, so an update's context variables (the outbox's "this
        message is being delivered now", a transaction's pending messages) would otherwise
        reach every later job."""
        self.discard(action.id)
        delay = max(0, action.due_at - app.bot_data.clock.epoch())
        self._jobs[action.id] = contextvars.Context().run(
            self._queue(app).run_once,
            self._job,
            when=delay,
            data=action.id,
            name=self._name(action.kind, action.id),
            job_kwargs={"misfire_grace_time": None, "coalesce": True},
        )

    async def rearm(self, app: App) -> int:
        """At start-up: close overdue actions a later twin supersedes, arm the pending actions
        of the coming window (overdue ones at once) and start the refill."""
        now = app.bot_data.clock.epoch()
        skipped = await app.bot_data.store.scheduled.supersede_overdue(self._latest_only, now)
        if skipped:
            log.info("%s overdue timed actions superseded by a later one", skipped)
        self._armed_until = None
        armed = await self._arm_window(app, None)
        queue = self._queue(app)
        for job in queue.get_jobs_by_name(REFILL_JOB):
            job.schedule_removal()  # armed again: one refill, not two
        queue.run_repeating(
            self._refill_job, interval=REFILL_EVERY, first=REFILL_EVERY, name=REFILL_JOB
        )
        return armed

    async def refill(self, app: App) -> int:
        """Arm the actions that have come into the window since it was last armed."""
        if self._armed_until is None:
            return 0
        return await self._arm_window(app, self._armed_until)

    async def _refill_job(self, context: Context) -> None:
        await self.refill(cast("App", context.application))

    async def _arm_window(self, app: App, since: int | None) -> int:
        """Arm, page by page, the pending actions due after ``since`` (all if None) and
        within the window."""
        until = app.bot_data.clock.epoch() + WINDOW
        after = None if since is None else (since, 2**62)
        armed = 0
        async for page in self._pages(app, until, after):
            for action in page:
                if action.kind in self._handlers:
                    self.arm(app, action)
                    armed += 1
                else:
                    log.warning(
                        "no handler for scheduled action kind %s (id %s)", action.kind, action.id
                    )
        self._armed_until = until if since is None else max(since, until)
        return armed

    @staticmethod
    async def _pages(
        app: App, until: int, after: tuple[int, int] | None
    ) -> AsyncIterator[list[ScheduledAction]]:
        """Pending actions due by ``until`` (after the key ``after``), a page at a time."""
        while True:
            page = await app.bot_data.store.scheduled.pending_page(until, after=after, limit=PAGE)
            if page:
                yield page
            if len(page) < PAGE:
                return
            after = (page[-1].due_at, page[-1].id)

    async def cancel(
        self, app: App, kind: str, *, chat_id: int | None, user_id: int | None
    ) -> int:
        ids = await app.bot_data.store.scheduled.cancel(kind, chat_id=chat_id, user_id=user_id)
        for action_id in ids:
            self.discard(action_id)
        return len(ids)

    async def _job(self, context: Context) -> None:
        job = context.job
        if job is not None and isinstance(job.data, int):
            if self._jobs.get(job.data) is job:
                del self._jobs[job.data]
            # Each action in a context of its own, whatever context the JobQueue ran it in.
            app = cast("App", context.application)
            await asyncio.create_task(self.run(app, job.data), context=contextvars.Context())

    async def run(self, app: App, action_id: int) -> bool:
        """Do one pending action now; True if it was done (or given up on)."""
        store = app.bot_data.store
        action = await store.scheduled.get(action_id)
        if action is None:
            return False
        handler = self._handlers.get(action.kind)
        if handler is None:
            return False
        try:
            try:
                await handler(app, action)
            except RetryAfter as flood:
                raise RetryLaterError(_seconds(flood.retry_after)) from None
            except NetworkError as error:
                if isinstance(error, BadRequest):
                    raise
                raise RetryLaterError(60) from None
        except RetryLaterError as retry:
            if action.attempts + 1 >= MAX_ATTEMPTS:
                log.warning("giving up on scheduled action %s (%s)", action.id, action.kind)
                await store.scheduled.finish(action.id, "failed")
                return True
            due = app.bot_data.clock.epoch() + retry.seconds
            await store.scheduled.retry_later(action.id, due)
            refreshed = await store.scheduled.get(action.id)
            if refreshed is not None:
                self.arm(app, refreshed)
            return False
        await store.scheduled.finish(action.id)
        return True

    async def run_due(self, app: App) -> int:
        """Do every action whose time has come (by the application's clock), armed or not."""
        now = app.bot_data.clock.epoch()
        await app.bot_data.store.scheduled.supersede_overdue(self._latest_only, now)
        due = [action async for page in self._pages(app, now, None) for action in page]
        done = 0
        for action in due:
            if await self.run(app, action.id):
                done += 1
        return done


def _seconds(retry_after: object) -> int:
    total = getattr(retry_after, "total_seconds", None)
    value = total() if callable(total) else retry_after
    return max(1, int(value)) if isinstance(value, int | float) else 60
