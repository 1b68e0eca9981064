"""Records that are no longer needed are deleted after the deployment's retention period.

A daily timed action (kept in the database like every other) asks the store to purge; it
re-arms itself, so it survives restarts and runs once a day whatever happens.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from bot.records.scheduled import ScheduledAction

if TYPE_CHECKING:
    from bot.context import App

log = logging.getLogger(__name__)

KIND = "retention.purge"
DAY = 24 * 3600


async def purge(app: App, _action: ScheduledAction) -> None:
    data = app.bot_data
    now = data.clock.epoch()
    removed = await data.store.purge_expired(now - data.settings.retention_days * DAY)
    log.info("retention: %s old records deleted", removed)
    await data.scheduler.schedule(app, KIND, now + DAY)  # this row closes when we return


async def ensure_scheduled(app: App) -> None:
    """At start-up: make sure the daily purge is planned (once)."""
    pending = await app.bot_data.store.scheduled.pending(KIND)
    if not pending:
        await app.bot_data.scheduler.schedule(app, KIND, app.bot_data.clock.epoch() + 600)
