"""The plain rules of /talk: who is asked, the hourly limit, the topic line, the purge time."""

from __future__ import annotations

from bot.talk.requests import topic_line
from bot.talk.routing import helpers_for, over_limit


def test_helpers_exclude_member_unreachable_busy_avoided_blocked_declined() -> None:
    chosen = helpers_for(
        [1, 2, 3, 4, 5, 6, 7, 2],
        member_id=1,
        reachable={1, 2, 3, 4, 5, 6, 7},
        busy={3},
        avoided={4},
        blocked_by={5},
        declined={6},
    )
    assert chosen == [2, 7]
    assert helpers_for([8], member_id=1, reachable=set()) == []


def test_hourly_limit() -> None:
    assert not over_limit(2, 3)
    assert over_limit(3, 3)


def test_topic_line_is_trimmed_and_bounded() -> None:
    assert topic_line("  feeling   low\nlately ", 50) == "feeling low lately"
    assert topic_line("   ", 50) is None
    assert topic_line(None, 50) is None
    long = topic_line("x" * 300, 100)
    assert long is not None and len(long) == 100 and long.endswith("…")
