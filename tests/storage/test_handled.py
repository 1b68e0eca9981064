"""The ids of handled updates: recorded once, found again, forgotten after two days."""

from __future__ import annotations

from bot.once import KEEP_IDS_SECONDS
from bot.storage.store import Store
from bot.timeutil import ManualClock


async def test_ids_are_recorded_once_and_old_ones_forgotten(
    store: Store, clock: ManualClock
) -> None:
    assert await store.handled.highest() is None
    await store.handled.mark(41)
    await store.handled.mark(41)  # a second mark changes nothing
    clock.advance(KEEP_IDS_SECONDS)
    await store.handled.mark(42)
    assert await store.handled.was_handled(41) and not await store.handled.was_handled(40)
    assert await store.handled.highest() == 42
    assert await store.handled.prune(clock.epoch() - KEEP_IDS_SECONDS + 1) == 1
    assert not await store.handled.was_handled(41)
    assert await store.handled.was_handled(42)
    columns = await store.db.fetch_all("PRAGMA table_info(handled_updates)")
    assert [c["name"] for c in columns] == ["update_id", "handled_at"]  # ids only, no body
