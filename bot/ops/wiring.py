"""How the application carries the heartbeat and metrics (called from ``bot.app``).

``instrument`` wraps the Bot API transports and makes the update processor (which times each
update); ``start`` (at start-up) begins the periodic tick and, if configured, the metrics
server; ``stop`` ends both.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from telegram.request import BaseRequest, HTTPXRequest

from bot.ops.heartbeat import INTERVAL, Heartbeat
from bot.ops.metrics import InstrumentedRequest, Metrics
from bot.updates import ChatOrderedProcessor

if TYPE_CHECKING:
    from bot.context import App
    from bot.settings import Settings

log = logging.getLogger(__name__)


@dataclass
class Ops:
    heartbeat: Heartbeat
    metrics: Metrics
    processor: ChatOrderedProcessor
    request: BaseRequest
    get_updates_request: BaseRequest


def instrument(
    settings: Settings, request: BaseRequest | None, get_updates_request: BaseRequest | None
) -> Ops:
    heartbeat = Heartbeat(settings.heartbeat_file, settings.health_max_age)
    metrics = Metrics()
    # PTB's own defaults when none is given: a pool of 256 for calls, 1 for getUpdates.
    calls = request or HTTPXRequest(connection_pool_size=256)
    updates = get_updates_request or (request if request is not None else HTTPXRequest())
    return Ops(
        heartbeat=heartbeat,
        metrics=metrics,
        processor=ChatOrderedProcessor(metrics),
        request=InstrumentedRequest(calls, metrics, heartbeat),
        # Each update is read where it is carried out (``bot/once.py``): one the library
        # cannot read is skipped there and counted, never fetched for ever.
        get_updates_request=InstrumentedRequest(updates, metrics, heartbeat),
    )


def attach(app: App, ops: Ops) -> None:
    app.bot_data.ops = ops


def ops_of(app: App) -> Ops | None:
    return app.bot_data.ops


async def tick(app: App) -> None:
    """Check the database, refresh the gauges, write the heartbeat."""
    ops = ops_of(app)
    if ops is None or not app.bot_data.has_store:
        return
    store = app.bot_data.store
    now = time.time()
    try:
        waiting, oldest = await store.ledger.outbox_waiting()
        due = await store.scheduled.due_count(app.bot_data.clock.epoch())
    except Exception as error:  # the check failed: the heartbeat goes stale, health says so
        log.warning("database check failed (%s)", type(error).__name__)
    else:
        ops.heartbeat.db_ok()
        ops.metrics.last_db.set(now)
        ops.metrics.outbox_depth.set(waiting)
        ops.metrics.outbox_oldest.set(max(0, now - oldest) if oldest is not None else 0)
        ops.metrics.scheduled_due.set(due)
    ops.heartbeat.write()


async def _tick_job(context: Any) -> None:
    await tick(context.application)


async def start(app: App) -> None:
    ops = ops_of(app)
    if ops is None:
        return
    settings = app.bot_data.settings
    if settings.metrics_port is not None and ops.metrics.server is None:
        ops.metrics.serve(settings.metrics_port, settings.metrics_listen)
        log.info("metrics: serving on %s:%s", settings.metrics_listen, settings.metrics_port)
    if app.job_queue is not None:
        app.job_queue.run_repeating(_tick_job, interval=INTERVAL, first=0.5, name="ops:tick")


async def stop(app: App) -> None:
    ops = ops_of(app)
    if ops is None:
        return
    ops.metrics.stop()
    ops.heartbeat.remove()
