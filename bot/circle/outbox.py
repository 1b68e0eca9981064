"""Moved to ``bot/delivery/outbox.py`` (one outbox for every message that matters).

Kept so that imports of ``bot.circle.outbox`` keep working until every caller imports
``bot.delivery.outbox``.
"""

from __future__ import annotations

from bot.delivery.outbox import (
    FAILED,
    LEGACY_KIND,
    QUEUED,
    SENT,
    deliver,
    enqueue,
    flush,
    send_critical,
)

KIND = LEGACY_KIND

__all__ = ["FAILED", "KIND", "QUEUED", "SENT", "deliver", "enqueue", "flush", "send_critical"]
