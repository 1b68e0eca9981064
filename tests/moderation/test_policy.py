"""Unit tests for the moderation policy: who may be targeted, reading commands, timings."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.moderation import policy
from bot.moderation.policy import CommandError, parse_command, refusal_for_target

BOT = 42


@pytest.mark.parametrize(
    ("target", "status", "is_bot", "expected"),
    [
        (100, "member", False, None),
        (100, "restricted", False, None),
        (100, "administrator", False, "admin"),
        (100, "creator", False, "creator"),
        (BOT, "administrator", True, "bot"),
        (200, "member", True, "bot"),
        (policy.ANONYMOUS_ADMIN_ID, "member", True, "service"),
        (policy.SERVICE_ACCOUNT_ID, None, False, "service"),
        (7, "member", False, "self"),
        (100, None, False, None),
    ],
)
def test_refusal_for_target(target: int, status: str | None, is_bot: bool, expected: str) -> None:
    assert (
        refusal_for_target(
            actor_id=7, target_id=target, target_status=status, target_is_bot=is_bot, bot_id=BOT
        )
        == expected
    )


def test_anonymous_admin_actor_has_no_self() -> None:
    assert (
        refusal_for_target(
            actor_id=None, target_id=7, target_status="member", target_is_bot=False, bot_id=BOT
        )
        is None
    )


def test_reply_target_with_duration_and_reason() -> None:
    parsed = parse_command(
        ["1d", "12h", "kept", "insulting"], has_reply_target=True, needs_duration=True
    )
    assert parsed.target_id is None
    assert parsed.duration == timedelta(days=1, hours=12)
    assert parsed.reason == "kept insulting"


def test_id_target_and_kiswahili_duration() -> None:
    parsed = parse_command(["123456789", "siku", "3"], has_reply_target=False, needs_duration=True)
    assert parsed.target_id == 123456789
    assert parsed.duration == timedelta(days=3)
    assert parsed.reason is None


def test_named_contact_is_taken_out_of_the_reason() -> None:
    parsed = parse_command(
        ["2w", "contact=555666777", "spam"], has_reply_target=True, needs_duration=True
    )
    assert parsed.contact_id == 555666777
    assert parsed.reason == "spam"


def test_a_username_names_the_target() -> None:
    parsed = parse_command(
        ["@Musa_K", "2h", "please", "calm"], has_reply_target=False, needs_duration=True
    )
    assert parsed.target_handle == "Musa_K" and parsed.target_id is None
    assert parsed.duration is not None and parsed.reason == "please calm"


@pytest.mark.parametrize(
    ("args", "reply", "code"),
    [
        ([], False, "no_target"),
        (["@x"], False, "no_target"),
        (["@someone!"], False, "no_target"),
        (["123456789"], False, "duration_missing"),
        (["forever"], True, "duration_unreadable"),
        (["30"], True, "duration_unreadable"),
        (["10s"], True, "duration_too_short"),
        (["400d"], True, "duration_too_long"),
        (["53w"], True, "duration_too_long"),
    ],
)
def test_bad_commands(args: list[str], reply: bool, code: str) -> None:
    with pytest.raises(CommandError) as caught:
        parse_command(args, has_reply_target=reply, needs_duration=True)
    assert caught.value.code == code


def test_reason_without_duration_keeps_numbers() -> None:
    parsed = parse_command(["3", "times", "today"], has_reply_target=True, needs_duration=False)
    assert parsed.reason == "3 times today"


def test_reason_is_cut() -> None:
    parsed = parse_command(["x" * 1000], has_reply_target=True, needs_duration=False)
    assert parsed.reason is not None
    assert len(parsed.reason) == policy.MAX_REASON_CHARS


@pytest.mark.parametrize("seconds", [0, 10, 30, 366 * 86400, 400 * 86400])
def test_never_sends_a_forever_restriction(seconds: int) -> None:
    with pytest.raises(CommandError):
        policy.safe_until(1000, seconds)


def test_safe_until_in_range() -> None:
    assert policy.safe_until(1000, 60) == 1060
    assert policy.safe_until(1000, 365 * 86400) == 1000 + 365 * 86400


def test_checkin_times() -> None:
    assert policy.checkin_times(0, 3600) == []
    assert policy.checkin_times(0, 86400) == [43200]
    days = policy.checkin_times(0, 5 * 86400)
    assert days == [86400, 2 * 86400, 3 * 86400, 4 * 86400]
    assert all(at <= 5 * 86400 - 7200 for at in days)
    assert len(policy.checkin_times(0, 365 * 86400)) == 14


def test_report_allowed() -> None:
    assert policy.report_allowed(0)
    assert policy.report_allowed(policy.REPORT_LIMIT - 1)
    assert not policy.report_allowed(policy.REPORT_LIMIT)


def test_message_links() -> None:
    assert policy.message_link(-1001234567890, 5) == "https://t.me/c/1234567890/5"
    assert policy.message_link(-1001234567890, 5, "pamoja") == "https://t.me/pamoja/5"
    assert policy.message_link(-12345, 5) is None


def test_duration_parts() -> None:
    assert policy.duration_parts(86400 + 12 * 3600) == [("days", 1), ("hours", 12)]
    assert policy.duration_parts(14 * 86400) == [("weeks", 2)]
    assert policy.duration_parts(30 * 60) == [("minutes", 30)]
