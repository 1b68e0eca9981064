"""The moderation repository: warnings, sanctions, blocklist, reports, link codes, appeals."""

from __future__ import annotations

from bot.storage.store import Store
from bot.timeutil import ManualClock

CHAT = -1001
MEMBER = 500


async def test_warnings_count_and_reasons_are_encrypted(store: Store) -> None:
    repo = store.moderation
    assert await repo.add_warning(CHAT, MEMBER, 1, "rude remark") == 1
    assert await repo.add_warning(CHAT, MEMBER, None, None) == 2
    row = await store.db.fetch_one("SELECT reason FROM mod_warnings WHERE reason IS NOT NULL")
    assert row is not None and b"rude" not in bytes(row["reason"])
    warnings = await repo.warnings(CHAT, MEMBER)
    assert [w.reason for w in warnings] == ["rude remark", None]


async def test_sanction_lifecycle(store: Store, clock: ManualClock) -> None:
    repo = store.moderation
    first = await repo.start_sanction(
        CHAT, MEMBER, "exclude", actor_id=1, contact_id=1, reason="r", ends_at=clock.epoch() + 60
    )
    second = await repo.start_sanction(
        CHAT, MEMBER, "exclude", actor_id=1, contact_id=2, reason=None, ends_at=clock.epoch() + 90
    )
    assert (await repo.sanction(first.id)).status == "lifted"  # type: ignore[union-attr]
    active = await repo.active_sanction(CHAT, MEMBER, "exclude")
    assert active is not None and active.id == second.id and active.checkins
    await repo.stop_checkins(second.id)
    assert not (await repo.sanction(second.id)).checkins  # type: ignore[union-attr]
    assert await repo.finish_sanction(second.id, "ended")
    assert not await repo.finish_sanction(second.id, "ended")
    assert await repo.was_readmitted(CHAT, MEMBER)


async def test_blocklist(store: Store) -> None:
    repo = store.moderation
    assert await repo.block(MEMBER, origin_chat_id=CHAT, actor_id=1, reason="ads")
    assert not await repo.block(MEMBER, origin_chat_id=CHAT, actor_id=1, reason="ads")
    assert await repo.is_blocked(MEMBER)
    assert await repo.blocked_ids() == {MEMBER}
    assert await repo.unblock(MEMBER)
    assert not await repo.is_blocked(MEMBER)


async def test_reports_count_each_reporter_once_and_first_admin_wins(
    store: Store, clock: ManualClock
) -> None:
    repo = store.moderation
    report, created = await repo.open_report(CHAT, 10, MEMBER, "report")
    assert created
    again, created_again = await repo.open_report(CHAT, 10, MEMBER, "report")
    assert again.id == report.id and not created_again
    alice, bob = repo.reporter_digest(1), repo.reporter_digest(2)
    assert alice != bob and alice != "1"
    assert await repo.add_reporter(report.id, alice)
    assert not await repo.add_reporter(report.id, alice)
    assert await repo.add_reporter(report.id, bob)
    assert (await repo.report(report.id)).reports == 2  # type: ignore[union-attr]
    assert await repo.reports_by_since(alice, clock.epoch() - 10) == 1
    assert await repo.handle_report(report.id, "warn", 7)
    assert not await repo.handle_report(report.id, "ok", 8)
    handled = await repo.report(report.id)
    assert handled is not None and handled.handled_by == 7 and handled.outcome == "warn"
    rows = await store.db.fetch_all("SELECT reporter FROM mod_report_reporters")
    assert all(row["reporter"] not in ("1", "2") for row in rows)


async def test_link_codes_are_single_use_and_expire(store: Store, clock: ManualClock) -> None:
    repo = store.moderation
    await repo.add_link_code("ABC123", -2002)
    assert await repo.take_link_code("ABC123", 3600) == -2002
    assert await repo.take_link_code("ABC123", 3600) is None
    await repo.add_link_code("DEF456", -2002)
    clock.advance(3601)
    assert await repo.take_link_code("DEF456", 3600) is None


async def test_appeals(store: Store, clock: ManualClock) -> None:
    repo = store.moderation
    appeal = await repo.add_appeal(CHAT, MEMBER)
    assert await repo.appeals_since(MEMBER, clock.epoch() - 10) == 1
    assert await repo.decide_appeal(appeal.id, "kept", 7)
    assert not await repo.decide_appeal(appeal.id, "lifted", 8)


async def test_export_and_forget_a_person(store: Store, clock: ManualClock) -> None:
    repo = store.moderation
    await repo.add_warning(CHAT, MEMBER, 1, "be kind")
    ended = await repo.start_sanction(
        CHAT, MEMBER, "mute", actor_id=1, contact_id=1, reason="calm", ends_at=clock.epoch() + 60
    )
    await repo.finish_sanction(ended.id, "ended")
    await repo.start_sanction(
        CHAT, MEMBER, "exclude", actor_id=1, contact_id=1, reason=None, ends_at=clock.epoch() + 99
    )
    report, _ = await repo.open_report(CHAT, 5, 900, "report")
    await repo.add_reporter(report.id, repo.reporter_digest(MEMBER))
    await repo.add_appeal(CHAT, MEMBER)
    exported = await repo.export_person(MEMBER)
    assert exported["warnings"][0]["reason"] == "be kind"
    assert [m["kind"] for m in exported["measures"]] == ["mute", "exclude"]
    assert exported["reports_sent"] == 1 and len(exported["appeals"]) == 1
    assert exported["on_blocklist"] is False
    await repo.forget_person(MEMBER)
    after = await repo.export_person(MEMBER)
    assert after["warnings"] == [] and after["appeals"] == [] and after["reports_sent"] == 0
    assert [m["kind"] for m in after["measures"]] == ["exclude"]  # the active one stays


async def test_excluded_from_lists_active_exclusions(store: Store, clock: ManualClock) -> None:
    repo = store.moderation
    assert await repo.excluded_from(MEMBER) == []
    made = await repo.start_sanction(
        CHAT, MEMBER, "exclude", actor_id=1, contact_id=1, reason=None, ends_at=clock.epoch() + 9
    )
    assert await repo.excluded_from(MEMBER) == [CHAT]
    await repo.finish_sanction(made.id, "ended")
    assert await repo.excluded_from(MEMBER) == []


async def test_a_mute_whose_time_ran_out_is_not_in_force(store: Store, clock: ManualClock) -> None:
    """Telegram lifts a timed restriction by itself; no job closes the row, so "in force"
    must follow the clock (the rules gate and appeals ask it)."""
    repo = store.moderation
    await repo.start_sanction(
        CHAT, MEMBER, "mute", actor_id=1, contact_id=1, reason=None, ends_at=clock.epoch() + 3600
    )
    assert await repo.active_sanction(CHAT, MEMBER, "mute") is not None
    clock.advance(3601)
    assert await repo.active_sanction(CHAT, MEMBER, "mute") is None


async def test_a_flag_carries_hashed_features_until_taken_once(store: Store) -> None:
    repo = store.moderation
    flag, created = await repo.open_report(CHAT, 7, MEMBER, "flag", features="12:0.1,99:0.2")
    assert created
    assert await repo.take_features(flag.id) == "12:0.1,99:0.2"
    assert await repo.take_features(flag.id) is None  # cleared as it was read
    plain, _ = await repo.open_report(CHAT, 8, MEMBER, "report")
    assert await repo.take_features(plain.id) is None
    assert await repo.take_features(987654) is None


async def test_forgetting_a_person_clears_their_flags_features(store: Store) -> None:
    repo = store.moderation
    flag, _ = await repo.open_report(CHAT, 9, MEMBER, "flag", features="5:0.3")
    await repo.forget_person(MEMBER)
    assert await repo.take_features(flag.id) is None


async def test_unanswered_flags_stop_carrying_features_after_retention(
    store: Store, clock: ManualClock
) -> None:
    repo = store.moderation
    old, _ = await repo.open_report(CHAT, 10, MEMBER, "flag", features="5:0.3")
    clock.advance(100)
    new, _ = await repo.open_report(CHAT, 11, MEMBER, "flag", features="6:0.3")
    assert await store.purge_expired(clock.epoch() - 50) >= 1
    assert await repo.take_features(old.id) is None
    assert await repo.take_features(new.id) == "6:0.3"
