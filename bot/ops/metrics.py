"""Prometheus metrics without personal data, and the hooks that feed them and the heartbeat.

Off unless ``PAMOJA_METRICS_PORT`` is set; then served on their own port (default address
127.0.0.1), apart from the webhook. Labels are drawn from fixed sets only: the kind of update
(``message``, ``callback_query`` …) and the Bot API method name (``sendMessage`` …). No id, name,
text, chat or token is ever a label or a value.

* ``pamoja_updates_total{kind}`` and ``pamoja_update_seconds{kind}``: updates handled, latency
* ``pamoja_updates_skipped_total``: updates python-telegram-bot could not read, stepped over
* ``pamoja_bot_api_calls_total{method}``, ``pamoja_bot_api_errors_total{method}``
* ``pamoja_outbox_depth``, ``pamoja_outbox_oldest_seconds``: messages waiting to be delivered
* ``pamoja_scheduled_due``: timed actions whose time has come and that have not run yet
* ``pamoja_last_bot_api_success_timestamp_seconds`` and
  ``pamoja_last_database_check_timestamp_seconds``
"""

from __future__ import annotations

import re
import time
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, start_http_server
from telegram import Update
from telegram.request import BaseRequest, RequestData

from bot.adapters.ordinary import OrdinaryMessage
from bot.adapters.transport import Call, WrappedRequest
from bot.ops.heartbeat import Heartbeat

_METHOD = re.compile(r"^[A-Za-z]{1,64}$")
UPDATE_KINDS = (
    "message",
    "edited_message",
    "callback_query",
    "chat_member",
    "my_chat_member",
    "chat_join_request",
)


def method_label(url: str) -> str:
    """The Bot API method of a request URL (its last segment); never any other part of it."""
    name = url.rsplit("/", 1)[-1].split("?", 1)[0]
    return name if _METHOD.match(name) else "other"


def update_kind(update: object) -> str:
    if isinstance(update, OrdinaryMessage):  # a group message read from its JSON
        return "message"
    if isinstance(update, Update):
        for kind in UPDATE_KINDS:
            if getattr(update, kind, None) is not None:
                return kind
    return "other"


class Metrics:
    """The bot's metrics, in a registry of their own (so tests and processes never share)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.updates = Counter("pamoja_updates", "Updates handled", ["kind"], registry=r)
        self.update_seconds = Histogram(
            "pamoja_update_seconds", "Time to handle one update", ["kind"], registry=r
        )
        self.updates_skipped = Counter(
            "pamoja_updates_skipped", "Updates python-telegram-bot could not read", registry=r
        )
        self.api_calls = Counter("pamoja_bot_api_calls", "Bot API calls", ["method"], registry=r)
        self.api_errors = Counter(
            "pamoja_bot_api_errors", "Bot API calls that failed", ["method"], registry=r
        )
        self.outbox_depth = Gauge("pamoja_outbox_depth", "Messages waiting", registry=r)
        self.outbox_oldest = Gauge(
            "pamoja_outbox_oldest_seconds", "Age of the oldest waiting message", registry=r
        )
        self.scheduled_due = Gauge("pamoja_scheduled_due", "Timed actions due", registry=r)
        self.last_api = Gauge(
            "pamoja_last_bot_api_success_timestamp_seconds", "Last Bot API success", registry=r
        )
        self.last_db = Gauge(
            "pamoja_last_database_check_timestamp_seconds", "Last database check", registry=r
        )
        self.server: Any = None
        self._by_kind: dict[str, tuple[Any, Any]] = {}

    def handled(self, kind: str, seconds: float) -> None:
        """One update of this kind handled in ``seconds``. Runs for every update: the labelled
        series are looked up once per kind, not on each call."""
        series = self._by_kind.get(kind)
        if series is None:
            series = (self.updates.labels(kind), self.update_seconds.labels(kind))
            self._by_kind[kind] = series
        series[0].inc()
        series[1].observe(seconds)

    def serve(self, port: int, address: str) -> None:
        server, _thread = start_http_server(port, addr=address, registry=self.registry)
        self.server = server

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None


class InstrumentedRequest(WrappedRequest):
    """Wraps the Bot API transport: counts calls and errors by method, feeds the heartbeat."""

    def __init__(self, inner: BaseRequest, metrics: Metrics, heartbeat: Heartbeat) -> None:
        super().__init__(inner)
        self._metrics = metrics
        self._heartbeat = heartbeat

    async def around(
        self, url: str, _request_data: RequestData | None, call: Call
    ) -> tuple[int, bytes]:
        name = method_label(url)
        self._metrics.api_calls.labels(name).inc()
        try:
            code, payload = await call()
        except BaseException:
            self._metrics.api_errors.labels(name).inc()
            raise
        if code >= 400:
            self._metrics.api_errors.labels(name).inc()
        if code < 500 and code not in (401, 404):  # answered, and the token works
            self._heartbeat.api_ok()
            self._metrics.last_api.set(time.time())
        return code, payload
