"""Updates handled side by side across chats, in order within each chat and for each person.

python-telegram-bot hands updates to an update processor. Its default handles one at a time,
so a slow call in one group (a flood wait, a slow answer) held up every chat. This processor
lets updates run concurrently, up to a bound, while each update waits for the ones before it
that share a *lane* with it: its chat, the person who sent it, and the member a membership
update is about. So one group's messages, and one person's messages, button presses and joins,
are still handled in the order Telegram sent them, while another group or a private chat is
answered at once.

Each lane keeps only its newest update (a future that is done when that update is handled);
an arriving update waits for the tails of its lanes and becomes their tail. Nothing is polled,
nothing grows with the number of chats beyond the ones busy right now. Only updates whose turn
has come count against the bound of updates handled at once, so a burst into one busy group
never takes the places of other chats' updates.

It also times every update and counts it by kind for the metrics (``bot/ops/metrics``).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable
from typing import TYPE_CHECKING, Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.adapters.ordinary import OrdinaryMessage
from bot.ops.metrics import update_kind

if TYPE_CHECKING:
    from bot.ops.metrics import Metrics

DEFAULT_CONCURRENCY = 128
# Updates accepted at once, waiting for their turn included (python-telegram-bot's own bound).
ACCEPTED = 4096
Lane = tuple[str, int]


def lanes_of(update: object) -> tuple[Lane, ...]:
    """The chat, the person acting and the member an update is about (those that exist)."""
    if isinstance(update, OrdinaryMessage):  # read from its JSON (``bot/handlers/ordinary``)
        return (("chat", update.chat_id), ("user", update.sender_id))
    if not isinstance(update, Update):
        return ()
    found: list[Lane] = []
    chat = update.effective_chat
    if chat is not None:
        found.append(("chat", chat.id))
    user = update.effective_user
    if user is not None:
        found.append(("user", user.id))
    member = update.chat_member or update.my_chat_member
    if member is not None and (user is None or member.new_chat_member.user.id != user.id):
        found.append(("user", member.new_chat_member.user.id))
    request = update.chat_join_request
    if request is not None and (user is None or request.from_user.id != user.id):
        found.append(("user", request.from_user.id))
    return tuple(found)


class ChatOrderedProcessor(BaseUpdateProcessor):
    """Concurrent across chats and people, ordered within each (see the module docstring)."""

    def __init__(
        self, metrics: Metrics | None = None, max_concurrent_updates: int = DEFAULT_CONCURRENCY
    ) -> None:
        super().__init__(ACCEPTED)
        self._metrics = metrics
        self._turns = asyncio.Semaphore(max_concurrent_updates)
        self._tails: dict[Lane, asyncio.Future[None]] = {}

    @property
    def busy_lanes(self) -> int:
        """Chats and people with an update being handled or waiting (for tests and metrics)."""
        return len(self._tails)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        lanes = lanes_of(update)
        mine: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        before = [tail for lane in lanes if (tail := self._tails.get(lane)) is not None]
        for lane in lanes:
            self._tails[lane] = mine
        started = False
        try:
            for tail in before:
                if not tail.done():
                    await asyncio.shield(tail)
            async with self._turns:
                started = True
                await self._timed(update, coroutine)
        finally:
            if not started and asyncio.iscoroutine(coroutine):
                coroutine.close()  # cancelled while waiting: the update is never handled
            mine.set_result(None)
            for lane in lanes:
                if self._tails.get(lane) is mine:
                    del self._tails[lane]

    async def _timed(self, update: object, coroutine: Awaitable[Any]) -> None:
        if self._metrics is None:
            await coroutine
            return
        kind = update_kind(update)
        started = time.perf_counter()
        try:
            await coroutine
        finally:
            self._metrics.handled(kind, time.perf_counter() - started)

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass
