"""The update processor: chats side by side, each chat's and each person's updates in order."""

from __future__ import annotations

import asyncio
import random
from typing import Any

from telegram import Update

from bot.ops.metrics import Metrics
from bot.updates import ChatOrderedProcessor, lanes_of

GROUP_A, GROUP_B = -1001, -1002


def message(update_id: int, chat_id: int, user_id: int) -> Update:
    chat: dict[str, Any] = (
        {"id": chat_id, "type": "supergroup", "title": "G"}
        if chat_id < 0
        else {"id": chat_id, "type": "private", "first_name": "P"}
    )
    return Update.de_json(
        {
            "update_id": update_id,
            "message": {
                "message_id": update_id,
                "date": 0,
                "chat": chat,
                "from": {"id": user_id, "is_bot": False, "first_name": "P"},
                "text": "hello",
            },
        },
        None,
    )


def joined(update_id: int, chat_id: int, actor: int, member: int) -> Update:
    person = {"id": member, "is_bot": False, "first_name": "M"}
    return Update.de_json(
        {
            "update_id": update_id,
            "chat_member": {
                "chat": {"id": chat_id, "type": "supergroup", "title": "G"},
                "from": {"id": actor, "is_bot": False, "first_name": "A"},
                "date": 0,
                "old_chat_member": {"status": "left", "user": person},
                "new_chat_member": {"status": "member", "user": person},
            },
        },
        None,
    )


def test_lanes_are_the_chat_the_actor_and_the_member() -> None:
    assert lanes_of(message(1, GROUP_A, 7)) == (("chat", GROUP_A), ("user", 7))
    assert lanes_of(message(2, 7, 7)) == (("chat", 7), ("user", 7))
    # an admin adds someone: the member's own lane too (their first message comes after)
    assert lanes_of(joined(3, GROUP_A, 9, 7)) == (("chat", GROUP_A), ("user", 9), ("user", 7))
    assert lanes_of(joined(4, GROUP_A, 7, 7)) == (("chat", GROUP_A), ("user", 7))
    assert lanes_of(object()) == ()


async def run(processor: ChatOrderedProcessor, updates: list[Update], seed: int) -> list[int]:
    """Handle every update at once, each taking a random number of loop turns; the order in
    which handling finished."""
    rng = random.Random(seed)
    finished: list[int] = []

    async def handle(update: Update) -> None:
        for _ in range(rng.randrange(0, 20)):
            await asyncio.sleep(0)
        finished.append(update.update_id)

    await asyncio.gather(*(processor.process_update(u, handle(u)) for u in updates))
    return finished


async def test_each_chat_in_order_while_chats_interleave() -> None:
    updates = [message(n, GROUP_A if n % 2 else GROUP_B, 100 + n) for n in range(1, 41)]
    interleaved = False
    for seed in range(5):
        finished = await run(ChatOrderedProcessor(), updates, seed)
        for group in (GROUP_A, GROUP_B):
            ids = [u.update_id for u in updates if u.effective_chat.id == group]  # type: ignore[union-attr]
            assert [n for n in finished if n in ids] == ids
        interleaved = interleaved or finished != sorted(finished)
    assert interleaved, "two chats were never handled side by side"


async def test_one_person_in_order_across_chats() -> None:
    """A person's private messages and group messages, and their join, keep their order;
    other people's updates in the same chats do not hold them up beyond their chat."""
    person = 7
    updates = [
        joined(1, GROUP_A, 9, person),  # added by an admin
        message(2, GROUP_A, person),
        message(3, person, person),
        message(4, GROUP_B, person),
        message(5, person, person),
    ]
    others = [message(10 + n, 500 + n, 500 + n) for n in range(20)]
    for seed in range(5):
        finished = await run(ChatOrderedProcessor(), updates + others, seed)
        assert [n for n in finished if n < 10] == [1, 2, 3, 4, 5]


async def test_a_slow_chat_does_not_hold_up_another() -> None:
    processor = ChatOrderedProcessor()
    release = asyncio.Event()
    done: list[int] = []

    async def slow() -> None:
        await release.wait()
        done.append(1)

    async def quick(n: int) -> None:
        done.append(n)

    blocked = asyncio.create_task(processor.process_update(message(1, GROUP_A, 1), slow()))
    queued = asyncio.create_task(processor.process_update(message(2, GROUP_A, 2), quick(2)))
    await processor.process_update(message(3, 3, 3), quick(3))  # a private chat: at once
    assert done == [3]
    release.set()
    await asyncio.gather(blocked, queued)
    assert done == [3, 1, 2]
    assert processor.busy_lanes == 0


async def test_a_failing_update_does_not_stall_its_chat_and_is_counted() -> None:
    metrics = Metrics()
    processor = ChatOrderedProcessor(metrics)
    done: list[int] = []

    async def fail() -> None:
        raise RuntimeError("handler broke")

    async def ok() -> None:
        done.append(2)

    first = asyncio.create_task(processor.process_update(message(1, GROUP_A, 1), fail()))
    second = asyncio.create_task(processor.process_update(message(2, GROUP_A, 1), ok()))
    results = await asyncio.gather(first, second, return_exceptions=True)
    assert isinstance(results[0], RuntimeError)
    assert done == [2]
    assert metrics.updates.labels("message")._value.get() == 2


async def test_the_bound_counts_only_updates_whose_turn_came() -> None:
    """Two at a time: a burst into one chat waiting for its turn never takes the places of
    another chat's update."""
    processor = ChatOrderedProcessor(max_concurrent_updates=2)
    release = asyncio.Event()
    done: list[int] = []

    async def wait(n: int) -> None:
        await release.wait()
        done.append(n)

    burst = [
        asyncio.create_task(processor.process_update(message(n, GROUP_A, n), wait(n)))
        for n in range(1, 11)
    ]
    other = asyncio.create_task(processor.process_update(message(50, 50, 50), wait(50)))
    for _ in range(5):
        await asyncio.sleep(0)
    release.set()
    await asyncio.gather(*burst, other)
    assert done[0] in (1, 50) and 50 in done[:2]
    assert [n for n in done if n != 50] == list(range(1, 11))


async def test_cancelled_while_waiting_is_never_handled() -> None:
    processor = ChatOrderedProcessor()
    release = asyncio.Event()
    ran: list[int] = []

    async def hold() -> None:
        await release.wait()

    async def never() -> None:
        ran.append(2)

    first = asyncio.create_task(processor.process_update(message(1, GROUP_A, 1), hold()))
    second = asyncio.create_task(processor.process_update(message(2, GROUP_A, 2), never()))
    await asyncio.sleep(0)
    second.cancel()
    release.set()
    await first
    assert second.cancelled() or second.exception() is None
    assert ran == []
    assert processor.busy_lanes == 0
