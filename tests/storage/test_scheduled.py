from __future__ import annotations

from bot.storage.store import Store


async def test_pending_finish_once_and_dedupe(store: Store) -> None:
    first = await store.scheduled.add("exclusion.end", 100, chat_id=-1, user_id=5)
    moved = await store.scheduled.add("reminder", 200, chat_id=-1, dedupe_key="reminder:-1")
    again = await store.scheduled.add("reminder", 300, chat_id=-1, dedupe_key="reminder:-1")
    assert moved.id == again.id and again.due_at == 300
    assert [a.id for a in await store.scheduled.pending()] == [first.id, again.id]
    assert await store.scheduled.finish(first.id) is True
    assert await store.scheduled.finish(first.id) is False
    assert await store.scheduled.get(first.id) is None
    cancelled = await store.scheduled.cancel("reminder", chat_id=-1, user_id=None)
    assert cancelled == [again.id]
    assert await store.scheduled.pending() == []


async def test_pending_page_walks_equal_due_times_across_pages(store: Store) -> None:
    same = [await store.scheduled.add("reminder", 500, chat_id=-c) for c in range(1, 6)]
    later = await store.scheduled.add("reminder", 900, chat_id=-9)
    await store.scheduled.add("reminder", 901, chat_id=-10)  # beyond ``until``
    first = await store.scheduled.pending_page(900, limit=2)
    second = await store.scheduled.pending_page(
        900, after=(first[-1].due_at, first[-1].id), limit=2
    )
    third = await store.scheduled.pending_page(
        900, after=(second[-1].due_at, second[-1].id), limit=2
    )
    walked = [a.id for a in (*first, *second, *third)]
    assert walked == [*(a.id for a in same), later.id]


async def test_supersede_overdue_keeps_the_latest_per_chat_and_person(store: Store) -> None:
    series = [await store.scheduled.add("checkin", t, chat_id=-1, user_id=5) for t in (1, 2, 3)]
    other_person = await store.scheduled.add("checkin", 1, chat_id=-1, user_id=6)
    future = await store.scheduled.add("checkin", 9_000, chat_id=-1, user_id=5)
    other_kind = [await store.scheduled.add("note", t, chat_id=-1, user_id=5) for t in (1, 2)]
    assert await store.scheduled.supersede_overdue({"checkin"}, now=100) == 2
    left = {a.id for a in await store.scheduled.pending()}
    assert left == {series[-1].id, other_person.id, future.id, *(a.id for a in other_kind)}
    assert await store.scheduled.supersede_overdue(set(), now=100) == 0
