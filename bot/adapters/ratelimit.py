"""Telegram's flood limits where Telegram has them, and only there, with priority lanes.

``PamojaRateLimiter`` is the bot's ``BaseRateLimiter``. Telegram limits how many *messages*
a bot sends: about 30 a second overall and 20 a minute into one group. So only sends
(``sendMessage``, ``copyMessage``, ``sendPhoto``...) wait for budget:

* every send takes a slot of the overall budget (``OVERALL_PER_SECOND`` in any second);
* a send into a group also takes a slot of that group's budget (``GROUP_PER_MINUTE`` in any
  minute). A group with no budget left makes only its own sends wait, never another chat's.

Everything else (``deleteMessage``, ``banChatMember``, ``restrictChatMember``,
``answerCallbackQuery``, edits, ``getChatMember``...) goes through at once. A 429 answer is
retried after Telegram's ``retry_after``: for a send, the budget it came from (that group's, or
the overall one for a private chat) is closed for that long; any other call just waits and tries
again on its own, holding nobody else up.

Waiting sends leave in order of importance, then of arrival (so one chat's sends of one priority
keep their order):

* ``critical``: help texts, consent questions, ``/talk`` relays, a reporter's removal;
* ``notice`` (the default): moderation notices and ordinary answers;
* ``bulk``: welcomes, reminders, check-ins. Bulk sends leave part of every budget unused
  (``BULK_GROUP_PER_MINUTE``, ``BULK_OVERALL_PER_SECOND``), so a broadcast never takes the last
  slots a critical message needs.

A caller picks the lane with ``rate_limit_args={"priority": "bulk"}`` on a bot method, or for a
whole block of work (a scheduled reminder, a job) with ``with send_priority("bulk"): ...``; the
explicit argument wins.

A slot counts from the moment the send is let go until a second (a minute) after its answer
arrived, so the budget is never overdrawn as Telegram counts it, however slow the network is.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import heapq
import itertools
import logging
import time
from collections import deque
from collections.abc import Callable, Coroutine, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

log = logging.getLogger(__name__)

Priority = Literal["critical", "notice", "bulk"]
RateLimitArgs = Mapping[str, object] | str | None
JSONResult = bool | dict[str, Any] | list[dict[str, Any]]

OVERALL_PER_SECOND = 30
"""Telegram: about 30 messages a second from one bot, to all chats together."""
GROUP_PER_MINUTE = 20
"""Telegram: at most 20 messages a minute into one group."""
BULK_OVERALL_PER_SECOND = 25
"""Bulk sends (reminders, welcomes, check-ins) use at most this much of the overall budget."""
BULK_GROUP_PER_MINUTE = 15
"""Bulk sends use at most this much of a group's budget: the rest is kept for notices."""
NOTICE_GROUP_PER_MINUTE = 18
"""Notices leave the last slots of a group's budget to critical sends."""
MAX_RETRIES = 3
"""How often one call is retried after a 429 before the error reaches the caller."""

_RANK: dict[str, int] = {"critical": 0, "notice": 1, "bulk": 2}
_GROUP_CAP = (GROUP_PER_MINUTE, NOTICE_GROUP_PER_MINUTE, BULK_GROUP_PER_MINUTE)
_OVERALL_CAP = (OVERALL_PER_SECOND, OVERALL_PER_SECOND, BULK_OVERALL_PER_SECOND)

# Bot API methods that send a message: the only ones Telegram's message limits count.
SEND_METHODS = frozenset(
    {
        "sendMessage",
        "sendPhoto",
        "sendAudio",
        "sendDocument",
        "sendVideo",
        "sendAnimation",
        "sendVoice",
        "sendVideoNote",
        "sendMediaGroup",
        "sendLocation",
        "sendVenue",
        "sendContact",
        "sendPoll",
        "sendDice",
        "sendSticker",
        "sendInvoice",
        "sendPaidMedia",
        "copyMessage",
        "copyMessages",
        "forwardMessage",
        "forwardMessages",
    }
)

_priority: contextvars.ContextVar[Priority | None] = contextvars.ContextVar(
    "pamoja_send_priority", default=None
)


@contextlib.contextmanager
def send_priority(priority: Priority) -> Iterator[None]:
    """Sends made inside this block (in this task) go in ``priority``'s lane."""
    if priority not in _RANK:
        raise ValueError(f"unknown priority {priority!r}")
    token = _priority.set(priority)
    try:
        yield
    finally:
        _priority.reset(token)


def priority_of(rate_limit_args: RateLimitArgs) -> Priority:
    """The lane of one call: its ``rate_limit_args``, else the block's, else ``notice``."""
    chosen: object = rate_limit_args
    if isinstance(rate_limit_args, Mapping):
        chosen = rate_limit_args.get("priority")
    if chosen is None:
        chosen = _priority.get()
    if chosen is None:
        return "notice"
    if chosen == "critical":
        return "critical"
    if chosen == "bulk":
        return "bulk"
    if chosen == "notice":
        return "notice"
    raise ValueError(f"unknown priority {chosen!r}")


class Budget:
    """A sliding window: at most ``limit`` slots in any ``period`` seconds, counted from the
    moment a slot is taken until ``period`` after it was given back."""

    def __init__(self, period: float) -> None:
        self.period = period
        self.in_flight = 0
        self.done: deque[float] = deque()
        self.closed_until = 0.0

    def used(self, now: float) -> int:
        done = self.done
        while done and now - done[0] >= self.period:
            done.popleft()
        return self.in_flight + len(done)

    def has_room(self, now: float, limit: int) -> bool:
        return now >= self.closed_until and self.used(now) < limit

    def take(self) -> None:
        self.in_flight += 1

    def give_back(self, now: float) -> None:
        self.in_flight -= 1
        self.done.append(now)

    def next_change(self, now: float) -> float | None:
        """When this window might next have room (``None``: only when a send in flight ends)."""
        if now < self.closed_until:
            return self.closed_until
        return self.done[0] + self.period if self.done else None

    def idle(self, now: float) -> bool:
        return self.used(now) == 0 and now >= self.closed_until


@dataclass(order=True)
class _Waiter:
    rank: int
    seq: int
    group: int | str | None = field(compare=False)
    granted: asyncio.Future[None] = field(compare=False)


def room_now(limiter: object, chat_id: int, priority: Priority) -> bool:
    """Whether a send into this chat would leave at once as far as its group's budget goes
    (always, without our limiter: nothing is counted then)."""
    return not isinstance(limiter, PamojaRateLimiter) or limiter.group_has_room(chat_id, priority)


class PamojaRateLimiter(BaseRateLimiter[Any]):
    """Per-group and overall send budgets, priority lanes, retries after 429; see the module."""

    def __init__(
        self,
        *,
        overall_per_second: int = OVERALL_PER_SECOND,
        group_per_minute: int = GROUP_PER_MINUTE,
        max_retries: int = MAX_RETRIES,
        clock: Callable[[], float] = time.monotonic,
        group_period: float = 60.0,
        overall_period: float = 1.0,
    ) -> None:
        self._clock = clock
        self._max_retries = max_retries
        scale_group = group_per_minute / GROUP_PER_MINUTE
        scale_all = overall_per_second / OVERALL_PER_SECOND
        self._group_cap = tuple(max(1, round(cap * scale_group)) for cap in _GROUP_CAP)
        self._overall_cap = tuple(max(1, round(cap * scale_all)) for cap in _OVERALL_CAP)
        self._group_period = group_period
        self._overall = Budget(overall_period)
        self._groups: dict[int | str, Budget] = {}
        self._waiting: list[_Waiter] = []
        self._seq = itertools.count()
        self._timer: asyncio.TimerHandle | None = None
        self._timer_at = 0.0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    # -- introspection (tests and the benchmark) ----------------------------------------------

    @property
    def waiting(self) -> int:
        """Sends waiting for budget now."""
        return len(self._waiting)

    def group_has_room(self, chat_id: int | str, priority: Priority = "notice") -> bool:
        budget = self._groups.get(chat_id)
        cap = self._group_cap[_RANK[priority]]
        return budget is None or budget.has_room(self._clock(), cap)

    # -- the request path -------------------------------------------------------------------

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, JSONResult]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: Any,
    ) -> JSONResult:
        chat_id = data.get("chat_id")
        if endpoint not in SEND_METHODS or chat_id is None:
            return await self._immediate(callback, args, kwargs, endpoint)
        priority = priority_of(rate_limit_args)
        return await self._send(callback, args, kwargs, _group_key(chat_id), priority)

    async def _immediate(
        self,
        callback: Callable[..., Coroutine[Any, Any, JSONResult]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
    ) -> JSONResult:
        for attempt in range(self._max_retries + 1):
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as flood:
                if attempt == self._max_retries:
                    raise
                log.info("429 on %s: retrying in %.1f s", endpoint, _seconds(flood))
                await asyncio.sleep(_seconds(flood) + 0.1)
        raise AssertionError("unreachable")  # pragma: no cover

    async def _send(
        self,
        callback: Callable[..., Coroutine[Any, Any, JSONResult]],
        args: Any,
        kwargs: dict[str, Any],
        group: int | str | None,
        priority: Priority,
    ) -> JSONResult:
        rank, seq = _RANK[priority], next(self._seq)
        for attempt in range(self._max_retries + 1):
            await self._acquire(rank, seq, group)  # a retry keeps its place in the queue
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as flood:
                seconds = _seconds(flood) + 0.1
                budget = self._groups.get(group) if group is not None else self._overall
                if budget is not None:
                    budget.closed_until = max(budget.closed_until, self._clock() + seconds)
                if attempt == self._max_retries:
                    raise
                log.info("429 on a send (%s): its budget is closed for %.1f s", priority, seconds)
            finally:
                self._release(group)
        raise AssertionError("unreachable")  # pragma: no cover

    async def _acquire(self, rank: int, seq: int, group: int | str | None) -> None:
        loop = asyncio.get_running_loop()
        waiter = _Waiter(rank, seq, group, loop.create_future())
        heapq.heappush(self._waiting, waiter)
        self._pump()
        try:
            await waiter.granted
        except asyncio.CancelledError:
            if waiter.granted.done() and not waiter.granted.cancelled():
                self._release(group)  # granted, then cancelled before it could be used
            elif waiter in self._waiting:  # a cancelled waiter may have been dropped already
                self._waiting.remove(waiter)
                heapq.heapify(self._waiting)
            raise

    def _release(self, group: int | str | None) -> None:
        now = self._clock()
        self._overall.give_back(now)
        if group is not None:
            self._groups[group].give_back(now)
        self._pump()

    def _group(self, group: int | str) -> Budget:
        budget = self._groups.get(group)
        if budget is None:
            if len(self._groups) > 1024:
                self._forget_idle_groups()
            budget = self._groups[group] = Budget(self._group_period)
        return budget

    def _forget_idle_groups(self) -> None:
        now = self._clock()
        for key, budget in list(self._groups.items()):
            if budget.idle(now):
                del self._groups[key]

    def _pump(self) -> None:
        """Let go every waiting send that has budget now, most important first."""
        if not self._waiting:
            return
        now = self._clock()
        overall = self._overall
        kept: list[_Waiter] = []
        while self._waiting:
            waiter = heapq.heappop(self._waiting)
            if waiter.granted.done():
                continue
            if not overall.has_room(now, self._overall_cap[waiter.rank]):
                kept.append(waiter)
                break  # the rest are no more important: none of them may go either
            budget = self._group(waiter.group) if waiter.group is not None else None
            if budget is not None and not budget.has_room(now, self._group_cap[waiter.rank]):
                kept.append(waiter)
                continue
            overall.take()
            if budget is not None:
                budget.take()
            waiter.granted.set_result(None)
        for waiter in kept:
            heapq.heappush(self._waiting, waiter)
        self._arm_timer(now)

    def _arm_timer(self, now: float) -> None:
        if not self._waiting:
            return
        moments = [self._overall.next_change(now)]
        for waiter in self._waiting:
            budget = self._groups.get(waiter.group) if waiter.group is not None else None
            if budget is not None:
                moments.append(budget.next_change(now))
        times = [moment for moment in moments if moment is not None]
        if not times:
            return  # a send in flight will pump when it ends
        wake = max(now, min(times)) + 0.001
        if self._timer is not None:
            if self._timer_at <= wake:
                return
            self._timer.cancel()
        loop = asyncio.get_running_loop()
        self._timer_at = wake
        self._timer = loop.call_later(wake - now, self._on_timer)

    def _on_timer(self) -> None:
        self._timer = None
        self._pump()


def _group_key(chat_id: object) -> int | str | None:
    """The group budget a send into ``chat_id`` spends (``None`` for a private chat)."""
    if isinstance(chat_id, str):
        try:
            chat_id = int(chat_id)
        except ValueError:
            return chat_id  # "@channelname": a channel or supergroup
    if isinstance(chat_id, int):
        return chat_id if chat_id < 0 else None
    return None


def _seconds(flood: RetryAfter) -> float:
    wait = flood.retry_after
    return float(wait if isinstance(wait, int) else wait.total_seconds())
