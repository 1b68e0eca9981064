"""PamojaRateLimiter: budgets only for sends, per group and overall, priority lanes, 429 retries.

Budgets are shrunk (periods of a fraction of a second) so nothing here waits long; the
assertions are about who went and in which order, not about timings.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest
from telegram.error import RetryAfter

from bot.adapters.ratelimit import PamojaRateLimiter, priority_of, send_priority

GROUP = -100123
OTHER_GROUP = -100456
PERSON = 42


class Recorder:
    """A fake Bot API call: remembers the order calls reached 'Telegram'."""

    def __init__(self) -> None:
        self.log: list[tuple[str, object, str]] = []
        self.fail: dict[str, int] = {}

    def callback(self, endpoint: str, tag: str) -> Any:
        async def call(*_args: object, **_kwargs: object) -> dict[str, Any]:
            if self.fail.get(tag):
                self.fail[tag] -= 1
                raise RetryAfter(timedelta(seconds=0))
            self.log.append((endpoint, None, tag))
            return {"ok": True}

        return call


async def request(
    limiter: PamojaRateLimiter,
    recorder: Recorder,
    endpoint: str,
    chat_id: int | None,
    tag: str,
    rate_limit_args: object = None,
) -> object:
    data: dict[str, Any] = {} if chat_id is None else {"chat_id": chat_id}
    return await limiter.process_request(
        callback=recorder.callback(endpoint, tag),
        args=(),
        kwargs={},
        endpoint=endpoint,
        data=data,
        rate_limit_args=rate_limit_args,
    )


def tags(recorder: Recorder) -> list[str]:
    return [tag for _, _, tag in recorder.log]


async def test_only_sends_wait_for_a_spent_group_budget() -> None:
    limiter = PamojaRateLimiter(group_per_minute=20, group_period=30.0)
    rec = Recorder()
    for index in range(20):
        await asyncio.wait_for(
            request(limiter, rec, "sendMessage", GROUP, f"g{index}", {"priority": "critical"}), 1
        )
    assert not limiter.group_has_room(GROUP, "critical")
    blocked = asyncio.create_task(request(limiter, rec, "sendMessage", GROUP, "g20"))
    await asyncio.sleep(0.01)
    assert not blocked.done() and limiter.waiting == 1
    # Everything Telegram does not count as a message goes at once, into the same group too.
    for endpoint in (
        "deleteMessage",
        "banChatMember",
        "restrictChatMember",
        "editMessageText",
        "getChatMember",
    ):
        await asyncio.wait_for(request(limiter, rec, endpoint, GROUP, endpoint), 1)
    await asyncio.wait_for(request(limiter, rec, "answerCallbackQuery", None, "answer"), 1)
    # Other chats' sends do not wait for this group.
    await asyncio.wait_for(request(limiter, rec, "sendMessage", PERSON, "private"), 1)
    await asyncio.wait_for(request(limiter, rec, "sendMessage", OTHER_GROUP, "other"), 1)
    assert not blocked.done()
    blocked.cancel()
    with pytest.raises(asyncio.CancelledError):
        await blocked
    assert limiter.waiting == 0
    await limiter.shutdown()


async def test_a_group_budget_refills_and_sends_keep_their_order() -> None:
    limiter = PamojaRateLimiter(group_per_minute=20, group_period=0.2)
    rec = Recorder()
    sends = [request(limiter, rec, "sendMessage", GROUP, f"m{index}") for index in range(45)]
    await asyncio.wait_for(asyncio.gather(*sends), 5)
    assert tags(rec) == [f"m{index}" for index in range(45)]
    await limiter.shutdown()


async def test_critical_sends_overtake_a_queued_broadcast() -> None:
    limiter = PamojaRateLimiter(overall_per_second=30, overall_period=0.3)
    rec = Recorder()
    broadcast = [
        asyncio.create_task(
            request(limiter, rec, "sendMessage", -200000 - i, f"bulk{i}", {"priority": "bulk"})
        )
        for i in range(120)
    ]
    await asyncio.sleep(0)
    assert limiter.waiting > 0  # the broadcast is queued behind the overall budget
    with send_priority("critical"):
        urgent = asyncio.create_task(request(limiter, rec, "sendMessage", PERSON, "urgent"))
    notice = asyncio.create_task(request(limiter, rec, "sendMessage", GROUP, "notice"))
    await asyncio.wait_for(asyncio.gather(urgent, notice), 2)
    done = tags(rec)
    assert done.index("urgent") < done.index("notice")
    assert sum(tag.startswith("bulk") for tag in done) < 120  # the broadcast was still queued
    # Bulk keeps headroom: it never took the last slots of the overall budget.
    assert sum(tag.startswith("bulk") for tag in done[: done.index("urgent")]) <= 25
    await asyncio.wait_for(asyncio.gather(*broadcast), 5)
    await limiter.shutdown()


async def test_bulk_leaves_a_group_room_for_notices() -> None:
    limiter = PamojaRateLimiter(group_period=30.0)
    rec = Recorder()
    reminders = [
        asyncio.create_task(
            request(limiter, rec, "sendMessage", GROUP, f"r{i}", {"priority": "bulk"})
        )
        for i in range(20)
    ]
    await asyncio.sleep(0.01)
    assert sum(task.done() for task in reminders) == 15
    await asyncio.wait_for(request(limiter, rec, "sendMessage", GROUP, "warning"), 1)
    for task in reminders:
        task.cancel()
    await asyncio.gather(*reminders, return_exceptions=True)
    await limiter.shutdown()


async def test_a_429_is_retried_and_closes_only_that_budget() -> None:
    limiter = PamojaRateLimiter(group_period=30.0)
    rec = Recorder()
    rec.fail["welcome"] = 1
    rec.fail["delete"] = 2
    await asyncio.wait_for(request(limiter, rec, "sendMessage", GROUP, "welcome"), 2)
    await asyncio.wait_for(request(limiter, rec, "deleteMessage", GROUP, "delete"), 2)
    await asyncio.wait_for(request(limiter, rec, "sendMessage", OTHER_GROUP, "other"), 1)
    assert tags(rec) == ["welcome", "delete", "other"]
    rec.fail["stuck"] = 10
    with pytest.raises(RetryAfter):
        await asyncio.wait_for(request(limiter, rec, "sendMessage", OTHER_GROUP, "stuck"), 3)
    await limiter.shutdown()


def test_priority_comes_from_the_call_then_the_block() -> None:
    assert priority_of(None) == "notice"
    assert priority_of({"priority": "bulk"}) == "bulk"
    with send_priority("critical"):
        assert priority_of(None) == "critical"
        assert priority_of({"priority": "bulk"}) == "bulk"
    with pytest.raises(ValueError, match="unknown priority"):
        priority_of({"priority": "urgent!"})


async def test_a_send_cancelled_while_another_lets_waiters_go_ends_cleanly() -> None:
    """A waiting send is cancelled (its chat's update was stopped) and, before it learns so,
    another send's arrival lets waiters go and drops it: it ends as cancelled, nothing else."""
    limiter = PamojaRateLimiter(group_per_minute=20, group_period=30.0)
    rec = Recorder()
    for index in range(20):
        await request(limiter, rec, "sendMessage", GROUP, f"g{index}", {"priority": "critical"})
    blocked = asyncio.create_task(request(limiter, rec, "sendMessage", GROUP, "late"))
    await asyncio.sleep(0.01)
    assert limiter.waiting == 1
    blocked.cancel()  # its future is cancelled now; the send itself learns it later
    await request(limiter, rec, "sendMessage", OTHER_GROUP, "other")  # lets waiters go first
    with pytest.raises(asyncio.CancelledError):
        await blocked
    assert limiter.waiting == 0
    assert "late" not in tags(rec)
    await limiter.shutdown()
