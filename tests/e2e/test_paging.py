"""Timed work is armed a window at a time: start-up does not grow with the work waiting."""

from __future__ import annotations

import pytest

from bot import scheduler
from bot.context import App
from bot.records.scheduled import ScheduledAction
from tests.support import Harness

DAY = 24 * 3600


def _remembering(harness: Harness, kind: str, *, latest_only: bool = False) -> list[int]:
    done: list[int] = []

    async def remember(app: App, action: ScheduledAction) -> None:
        done.append(action.id)

    def register(app: App) -> None:
        app.bot_data.scheduler.register(kind, remember, latest_only=latest_only)

    harness.on_build.append(register)
    return done


def _armed(harness: Harness) -> set[str]:
    queue = harness.app.job_queue
    assert queue is not None
    return {str(job.name) for job in queue.jobs()}


async def test_far_ahead_is_written_not_armed_and_runs_after_the_window_moves(
    harness: Harness,
) -> None:
    done = _remembering(harness, "test.later")
    await harness.restart()
    app = harness.app
    soon = await app.bot_data.scheduler.schedule(app, "test.later", harness.clock.epoch() + 600)
    later = await app.bot_data.scheduler.schedule(
        app, "test.later", harness.clock.epoch() + 3 * DAY
    )
    assert f"test.later:{soon.id}" in _armed(harness)
    assert f"test.later:{later.id}" not in _armed(harness)
    harness.clock.advance(3 * DAY - scheduler.WINDOW // 2)
    assert await app.bot_data.scheduler.refill(app) >= 1
    assert f"test.later:{later.id}" in _armed(harness)
    assert await app.bot_data.scheduler.refill(app) == 0  # nothing new came into the window
    assert done == []  # armed, not yet run


async def test_far_ahead_runs_once_at_its_time_across_a_restart(harness: Harness) -> None:
    done = _remembering(harness, "test.later")
    await harness.restart()
    app = harness.app
    later = await app.bot_data.scheduler.schedule(
        app, "test.later", harness.clock.epoch() + 3 * DAY
    )
    await harness.restart(downtime=3 * DAY - 600)
    assert f"test.later:{later.id}" in _armed(harness)  # now within the window
    assert done == []
    await harness.advance(600)
    await harness.restart(downtime=DAY)
    assert done == [later.id]


async def test_overdue_twins_across_pages_only_the_latest_runs(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scheduler, "PAGE", 3)
    done = _remembering(harness, "test.checkin", latest_only=True)
    await harness.restart()
    store = harness.app.bot_data.store
    start = harness.clock.epoch()
    series = [
        await store.scheduled.add("test.checkin", start + h * 3600, chat_id=-1, user_id=7)
        for h in range(1, 6)
    ]
    others = [
        await store.scheduled.add("test.checkin", start + 60, chat_id=-1, user_id=u)
        for u in range(10, 14)
    ]
    ahead = await store.scheduled.add("test.checkin", start + 10 * DAY, chat_id=-1, user_id=7)
    await harness.halt()
    harness.clock.advance(6 * 3600)
    await harness.boot()
    assert sorted(done) == sorted([series[-1].id, *(a.id for a in others)])
    for action in series[:-1]:
        rows = await harness.app.bot_data.store.db.fetch_all(
            "SELECT status FROM scheduled_actions WHERE id = ?", (action.id,)
        )
        assert rows[0][0] == "cancelled"
    assert f"test.checkin:{ahead.id}" not in _armed(harness)
    assert [a.id for a in await harness.app.bot_data.store.scheduled.pending("test.checkin")] == [
        ahead.id
    ]


async def test_start_up_supersedes_overdue_twins_before_arming(harness: Harness) -> None:
    done = _remembering(harness, "test.checkin", latest_only=True)
    await harness.restart()
    app = harness.app
    start = harness.clock.epoch()
    series = [
        await app.bot_data.store.scheduled.add("test.checkin", start - h, chat_id=-1, user_id=7)
        for h in (30, 20, 10)
    ]
    assert await app.bot_data.scheduler.rearm(app) >= 1
    names = {f"test.checkin:{a.id}" for a in series}
    assert names & _armed(harness) == {f"test.checkin:{series[-1].id}"}
    pending = await app.bot_data.store.scheduled.pending("test.checkin")
    assert [a.id for a in pending] == [series[-1].id]
    assert done == []


async def test_each_action_is_armed_once_however_often_it_is_armed(harness: Harness) -> None:
    _remembering(harness, "test.later")
    await harness.restart()
    app = harness.app
    soon = await app.bot_data.scheduler.schedule(app, "test.later", harness.clock.epoch() + 60)
    await app.bot_data.scheduler.rearm(app)  # as at start-up, after the outbox woke its chats
    await app.bot_data.scheduler.refill(app)
    queue = app.job_queue
    assert queue is not None
    assert len(queue.get_jobs_by_name(f"test.later:{soon.id}")) == 1
    assert len(queue.get_jobs_by_name(scheduler.REFILL_JOB)) == 1


async def test_a_twin_moved_beyond_the_window_is_no_longer_armed(harness: Harness) -> None:
    done = _remembering(harness, "test.later")
    await harness.restart()
    app = harness.app
    now = harness.clock.epoch()
    soon = await app.bot_data.scheduler.schedule(app, "test.later", now + 60, dedupe_key="k")
    assert f"test.later:{soon.id}" in _armed(harness)
    moved = await app.bot_data.scheduler.schedule(app, "test.later", now + 3 * DAY, dedupe_key="k")
    assert moved.id == soon.id
    assert f"test.later:{soon.id}" not in _armed(harness)
    await harness.advance(3600)
    assert done == []
    await harness.advance(3 * DAY)
    assert done == [soon.id]
