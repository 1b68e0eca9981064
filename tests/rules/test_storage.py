"""The rules repository on a real SQLite file."""

from __future__ import annotations

from datetime import time

from bot.records.groups import BotRights
from bot.records.rules import RulesSettings, Schedule
from bot.storage.store import Store
from bot.timeutil import ManualClock

RIGHTS = BotRights(is_admin=True, can_restrict=True, can_delete=True, can_invite=True)


async def test_versions_history_and_acceptances(store: Store, clock: ManualClock) -> None:
    await store.groups.upsert(-100, "Pamoja", RIGHTS)
    assert await store.rules.current(-100) is None
    assert await store.rules.current_version(-100) == 0
    first = await store.rules.add_version(-100, "1. Be kind", 7)
    clock.advance(60)
    second = await store.rules.add_version(-100, "1. Be kind\n2. No selling", 7)
    assert (first.version, second.version) == (1, 2)
    current = await store.rules.current(-100)
    assert current is not None and current.body.endswith("No selling")
    assert [v.version for v in await store.rules.history(-100)] == [2, 1]

    agreed = await store.rules.accept(-100, 42, 2)
    again = await store.rules.accept(-100, 42, 2)
    assert agreed.accepted_at == again.accepted_at
    assert await store.rules.has_accepted(-100, 42, 2)
    assert not await store.rules.has_accepted(-100, 42, 1)


async def test_gate_entry_closes_once(store: Store) -> None:
    await store.groups.upsert(-100, "Pamoja", RIGHTS)
    await store.rules.gate_open(-100, 42, 0, 555, restricted=True)
    entry = await store.rules.gate_get(-100, 42)
    assert entry is not None and entry.restricted and entry.message_id == 555
    await store.rules.gate_reminded(-100, 42, 556)
    entry = await store.rules.gate_get(-100, 42)
    assert entry is not None and entry.reminded_at is not None and entry.message_id == 556
    assert await store.rules.gate_close(-100, 42) is True
    assert await store.rules.gate_close(-100, 42) is False


async def test_join_requests_are_decided_once(store: Store) -> None:
    await store.groups.upsert(-100, "Pamoja", RIGHTS)
    request_id = await store.rules.request_open(-100, 42, 42)
    assert await store.rules.request_open(-100, 42, 42) == request_id
    assert await store.rules.request_decide(request_id, "approved", 42, "agreed") is True
    assert await store.rules.request_decide(request_id, "declined", 1, "admin") is False
    decided = await store.rules.request_get(request_id)
    assert decided is not None and decided.status == "approved" and decided.how == "agreed"
    assert await store.rules.request_open(-100, 42, 42) != request_id  # a new request later


async def test_settings_defaults_and_changes(store: Store) -> None:
    await store.groups.upsert(-100, "Pamoja", RIGHTS)
    settings = await store.rules.settings(-100)
    assert settings.schedule == Schedule() and settings.schedule.enabled
    assert not settings.reacceptance and settings.rules_where == "group"
    changed = RulesSettings(-100, Schedule(True, 4, time(18, 0)), True, "private")
    await store.rules.save_settings(changed)
    assert await store.rules.settings(-100) == changed


async def test_rows_follow_a_group_that_became_a_supergroup(store: Store) -> None:
    await store.groups.upsert(-100, "Pamoja", RIGHTS)
    await store.rules.add_version(-100, "1. Be kind", 7)
    await store.rules.accept(-100, 42, 1)
    await store.groups.migrate_chat(-100, -1001)
    assert await store.rules.current_version(-1001) == 1
    assert await store.rules.has_accepted(-1001, 42, 1)


async def test_a_person_can_see_and_erase_what_rules_keep(store: Store) -> None:
    await store.groups.upsert(-100, "Pamoja", RIGHTS)
    await store.rules.add_version(-100, "1. Be kind", 42)
    await store.rules.accept(-100, 42, 1)
    await store.rules.gate_open(-100, 42, 1, None, restricted=False)
    await store.rules.request_open(-100, 42, 42)
    await store.rules.accept(-100, 7, 1)
    mine = await store.rules.export_person(42)
    assert [a["version"] for a in mine["rules_agreed"]] == [1]
    assert len(mine["waiting_to_agree"]) == len(mine["join_requests"]) == 1
    assert mine["rules_versions_written"][0]["version"] == 1
    await store.rules.forget_person(42)
    assert await store.rules.export_person(42) == {
        "rules_agreed": [],
        "waiting_to_agree": [],
        "join_requests": [],
        "rules_versions_written": [],
    }
    assert await store.rules.current_version(-100) == 1  # the group's rules stay
    assert await store.rules.has_accepted(-100, 7, 1)  # others untouched


async def test_answered_join_requests_are_purged_after_retention(
    store: Store, clock: ManualClock
) -> None:
    await store.groups.upsert(-100, "Pamoja", RIGHTS)
    old = await store.rules.request_open(-100, 1, 1)
    await store.rules.request_decide(old, "approved", 1, "agreed")
    waiting = await store.rules.request_open(-100, 2, 2)
    clock.advance(100)
    assert await store.rules.purge(clock.epoch()) == 1
    assert await store.rules.request_get(old) is None
    assert await store.rules.request_get(waiting) is not None
