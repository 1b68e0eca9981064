"""Webhook mode whose 200 means "carried out": Telegram is answered only after the update was
handled (and its id recorded), so a crash before that leaves the update with Telegram, which
sends it again; an update sent again that was already carried out is answered 200 and skipped.

python-telegram-bot's own webhook server answers 200 as soon as an update is queued in memory.
This one keeps its checks: only POST, JSON, the secret token header when one is set (403
otherwise). An update the library cannot read is answered 200 and skipped (logged by its id
only), never refused for ever.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Sequence
from http import HTTPStatus

import tornado.httpserver
import tornado.web

from bot.context import App
from bot.once import PRUNE_EVERY, JSONDict, carry_out, forget_old, was_carried_out
from bot.polling import DRAIN_SECONDS, lifetime, run_until_stopped
from bot.settings import Settings

log = logging.getLogger(__name__)
MAX_CONNECTIONS = 40  # as python-telegram-bot asks Telegram for
KEPT_IDS = 10_000  # ids of this run's updates known in memory (beyond: the record is asked)


class Receiver:
    """What the server shares with each request: the application, the secret, what runs.

    Only an update that may have been carried out before is looked up in the record: one sent
    again in this run is known in memory (the ids of the last ``KEPT_IDS``), and one with a
    higher id than any recorded when the first update came cannot have been (ids only grow).
    So an ordinary group message costs no database read."""

    def __init__(self, app: App, secret: str | None) -> None:
        self.app = app
        self.secret = secret
        self.running: set[asyncio.Task[None]] = set()
        self._seen: dict[int, None] = {}  # ids taken in this run, oldest first
        self._before: int | None = None  # the highest id recorded when this run began
        self.duplicates = 0

    async def receive(self, update_id: int, raw: JSONDict) -> None:
        task = asyncio.create_task(self._once(update_id, raw))
        self.running.add(task)
        task.add_done_callback(self.running.discard)
        await asyncio.shield(task)  # a closed connection does not stop the update half way

    async def _once(self, update_id: int, raw: JSONDict) -> None:
        if update_id in self._seen:  # sent again in this run: being handled, or handled
            self.duplicates += 1
            return
        oldest = next(iter(self._seen)) if len(self._seen) >= KEPT_IDS else 0
        self._seen[update_id] = None
        if len(self._seen) > KEPT_IDS:
            del self._seen[next(iter(self._seen))]
        if self._before is None:
            self._before = await self.app.bot_data.store.handled.highest() or 0
        if (update_id <= self._before or update_id < oldest) and await was_carried_out(
            self.app, update_id
        ):
            self.duplicates += 1
            return
        await carry_out(self.app, raw)  # read there (an unreadable one is skipped)


class UpdateHandler(tornado.web.RequestHandler):
    def initialize(self, receiver: Receiver) -> None:
        self.receiver = receiver

    async def post(self) -> None:
        receiver = self.receiver
        secret = self.request.headers.get("X-Telegram-Bot-Api-Secret-Token")
        if self.request.headers.get("Content-Type") != "application/json" or (
            receiver.secret is not None and secret != receiver.secret
        ):
            raise tornado.web.HTTPError(HTTPStatus.FORBIDDEN)
        try:
            data = json.loads(self.request.body)
        except ValueError:
            raise tornado.web.HTTPError(HTTPStatus.BAD_REQUEST) from None
        update_id = data.get("update_id") if isinstance(data, dict) else None
        if not isinstance(update_id, int):  # not an update: skipped, not refused for ever
            log.warning("a request that is not an update was skipped")
            return
        await receiver.receive(update_id, data)

    def log_exception(self, *_args: object) -> None:
        """Nothing of a request is logged (it may carry names and texts)."""


async def serve(
    app: App, settings: Settings, allowed_updates: Sequence[str], stop: asyncio.Event
) -> None:
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
    receiver = Receiver(app, secret)

    async def listen() -> None:
        await app.bot.set_webhook(
            url=settings.webhook_url or "",
            allowed_updates=list(allowed_updates),
            secret_token=secret,
            max_connections=MAX_CONNECTIONS,
        )
        await app.start()
        path = "/" + settings.webhook_path if settings.webhook_path else ""
        web = tornado.web.Application(
            [(rf"{path}/?", UpdateHandler, {"receiver": receiver})], log_function=_quiet
        )
        server = tornado.httpserver.HTTPServer(web)
        server.listen(settings.webhook_port, settings.webhook_listen)
        try:
            while not stop.is_set():
                await forget_old(app)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), PRUNE_EVERY)
        finally:
            server.stop()
            if receiver.running:
                await asyncio.wait(set(receiver.running), timeout=DRAIN_SECONDS)
            with contextlib.suppress(Exception):
                await server.close_all_connections()

    await lifetime(app, stop, listen)


def _quiet(_handler: tornado.web.RequestHandler) -> None:
    """No access log: paths and addresses are not Pamoja's to keep."""


def run_webhook(app: App, settings: Settings, allowed_updates: Sequence[str]) -> None:
    """Serve the webhook until SIGINT/SIGTERM/SIGABRT; let what runs finish; shut down."""
    run_until_stopped(lambda stop: serve(app, settings, allowed_updates, stop))
