"""The bot's pending updates, with Telegram's allowed_updates and long-polling rules."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable
from typing import Any

from emulator.errors import conflict

JSON = dict[str, Any]

ALL_UPDATE_TYPES: frozenset[str] = frozenset(
    {
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "business_connection",
        "business_message",
        "edited_business_message",
        "deleted_business_messages",
        "message_reaction",
        "message_reaction_count",
        "inline_query",
        "chosen_inline_result",
        "callback_query",
        "shipping_query",
        "pre_checkout_query",
        "purchased_paid_media",
        "poll",
        "poll_answer",
        "my_chat_member",
        "chat_member",
        "chat_join_request",
        "chat_boost",
        "removed_chat_boost",
    }
)
DEFAULT_UPDATE_TYPES: frozenset[str] = ALL_UPDATE_TYPES - {
    "chat_member",
    "message_reaction",
    "message_reaction_count",
}


class UpdateQueue:
    """Updates waiting for the bot. Like Telegram, allowed_updates filters when an update is
    created (so changing it does not affect updates already queued) and is remembered."""

    def __init__(self, allowed_updates: Iterable[str] | None = None) -> None:
        self._pending: list[JSON] = []
        self._next_id = 1
        self._allowed = DEFAULT_UPDATE_TYPES
        if allowed_updates is not None:
            self.set_allowed(list(allowed_updates))
        self._waiters: set[asyncio.Event] = set()
        self._poll_generation = 0
        self.fetched_up_to = 0
        self.last_fetch_with_updates = 0.0

    @property
    def allowed(self) -> frozenset[str]:
        return self._allowed

    def set_allowed(self, allowed: list[str]) -> None:
        """An empty list means Telegram's default set (everything except chat_member and
        message reactions)."""
        chosen = frozenset(allowed) & ALL_UPDATE_TYPES
        self._allowed = chosen if allowed else DEFAULT_UPDATE_TYPES

    def push(self, kind: str, payload: JSON, *, filtered: bool = True) -> int | None:
        """Queue an update; returns its id, or None if allowed_updates filtered it out."""
        if filtered and kind not in self._allowed:
            return None
        update_id = self._next_id
        self._next_id += 1
        self._pending.append({"update_id": update_id, kind: payload})
        self._notify()
        return update_id

    def _notify(self) -> None:
        waiters, self._waiters = self._waiters, set()
        for waiter in waiters:
            waiter.set()

    def pending_count(self) -> int:
        return len(self._pending)

    def pending_ids(self) -> list[int]:
        return [int(update["update_id"]) for update in self._pending]

    def unfetched(self) -> int:
        return sum(1 for update in self._pending if update["update_id"] > self.fetched_up_to)

    def confirm(self, offset: int) -> None:
        """Forget updates before `offset`; a negative offset keeps only the last -offset."""
        if offset < 0:
            self._pending = self._pending[offset:]
        elif offset:
            self._pending = [u for u in self._pending if u["update_id"] >= offset]

    def drop_all(self) -> None:
        self._pending.clear()

    def _take(self, limit: int) -> list[JSON]:
        batch = self._pending[:limit]
        if batch:
            self.fetched_up_to = max(self.fetched_up_to, batch[-1]["update_id"])
            self.last_fetch_with_updates = time.monotonic()
        return batch

    def drain(self) -> list[JSON]:
        """Remove and return everything pending (for tests feeding Application directly)."""
        batch = self._take(len(self._pending))
        self._pending.clear()
        return batch

    def interrupt_polls(self) -> None:
        """Make any long poll in progress end as if another getUpdates had started."""
        self._poll_generation += 1
        self._notify()

    async def poll(self, offset: int, limit: int, wait_seconds: float) -> list[JSON]:
        self._poll_generation += 1
        generation = self._poll_generation
        self._notify()  # a poll already waiting is terminated, as on Telegram
        self.confirm(offset)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max(wait_seconds, 0.0)
        while True:
            if generation != self._poll_generation:
                raise conflict(
                    "terminated by other getUpdates request; "
                    "make sure that only one bot instance is running"
                )
            batch = self._take(limit)
            remaining = deadline - loop.time()
            if batch or remaining <= 0:
                return batch
            waiter = asyncio.Event()  # made per poll, so it always belongs to the running loop
            self._waiters.add(waiter)
            try:
                await asyncio.wait_for(waiter.wait(), remaining)
            except TimeoutError:
                continue
            finally:
                self._waiters.discard(waiter)
