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
