"""A peer listener's boundaries: the hours they are open to requests, and a gentle monthly
"how are you doing as a listener?" that is theirs alone (listeners need care too)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING

from bot.adapters.callbacks import encode
from bot.delivery.outbox import send_critical
from bot.peers import FEATURE
from bot.people import language_of, zone_of

if TYPE_CHECKING:
    from bot.context import App, BotData
    from bot.delivery.outbox import Row
    from bot.records.scheduled import ScheduledAction

LISTENER_CHECK = f"{FEATURE}.listener_check"
EVERY = 30 * 86_400
FINE, PAUSE, STOP = "fine", "pause", "stop"
ANSWER = "listener"  # fine | pause | stop
_HOURS = re.compile(r"^([01]?\d|2[0-3])(?::00)?\s*-\s*([01]?\d|2[0-4])(?::00)?$")


def parse_hours(text: str) -> tuple[int, int] | None:
    """``18-22`` or ``18:00-22:00``; a span may cross midnight (``20-2``)."""
    match = _HOURS.match(text.strip())
    if match is None:
        return None
    start, end = int(match[1]), int(match[2])
    return None if start == end % 24 else (start, end)


def within(hours: tuple[int, int] | None, hour: int) -> bool:
    if hours is None:
        return True
    start, end = hours
    return start <= hour < end if start < end else hour >= start or hour < end % 24


async def open_now(data: BotData, user_id: int, chat_id: int) -> bool:
    """Whether this listener is open to requests now, in the group's time."""
    hours = await data.store.peers.hours(user_id)
    if hours is None:
        return True
    now = datetime.fromtimestamp(data.clock.epoch(), await zone_of(data, chat_id))
    return within(hours, now.hour)


async def plan_check(app: App, user_id: int) -> None:
    """The listener's own monthly check (one at a time: offering again moves it)."""
    await app.bot_data.scheduler.cancel(app, LISTENER_CHECK, chat_id=None, user_id=user_id)
    await _next_check(app, user_id)


async def _next_check(app: App, user_id: int) -> None:
    due = app.bot_data.clock.epoch() + EVERY
    await app.bot_data.scheduler.schedule(
        app, LISTENER_CHECK, due, user_id=user_id, dedupe_key=f"{LISTENER_CHECK}:{user_id}:{due}"
    )


async def check_job(app: App, action: ScheduledAction) -> None:
    """``peers.listener_check``: still listening? Then ask, kindly, and plan the next one."""
    data = app.bot_data
    user_id = action.user_id
    if user_id is None or not await data.store.talk.listening(user_id):
        return
    lang = await language_of(data, user_id)
    rows: list[Row] = [
        [(data.texts.raw(lang, f"peers.listener_{answer}"), encode(FEATURE, ANSWER, answer))]
        for answer in (FINE, PAUSE, STOP)
    ]
    await send_critical(
        app,
        user_id,
        data.texts.t(lang, "peers.listener_check"),
        kind=LISTENER_CHECK,
        buttons=rows,
        member_id=user_id,
    )
    await _next_check(app, user_id)
