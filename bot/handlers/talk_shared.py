"""TRANSITIONAL, for ``bot/handlers/circle.py`` only (delete when circle stops importing it).

The talk feature no longer keeps anything in ``context.user_data``: what it awaits is in
``store.awaiting``. Ask ``bot.talk.awaiting.busy(data, user_id)`` instead of this key.
"""

from __future__ import annotations

AWAITING = "talk_awaiting"  # never set any more
