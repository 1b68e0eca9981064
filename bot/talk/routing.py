"""Who a request goes to: plain rules, no Telegram and no database."""

from __future__ import annotations

from collections.abc import Collection, Iterable

ADMIN = "admin"
LISTENER = "listener"


def helpers_for(
    candidates: Iterable[int],
    *,
    member_id: int,
    reachable: Collection[int],
    busy: Collection[int] = (),
    avoided: Collection[int] = (),
    blocked_by: Collection[int] = (),
    declined: Collection[int] = (),
) -> list[int]:
    """The people to offer a request to, in a stable order, each once.

    Never the member themselves; only people the bot can write to privately; not someone
    already in a conversation; not a listener the member asked not to be matched with again;
    not a helper who blocked the member's requests; not someone who already said no to it.
    """
    chosen: list[int] = []
    excluded = {member_id, *busy, *avoided, *blocked_by, *declined}
    for user_id in candidates:
        if user_id in excluded or user_id not in reachable or user_id in chosen:
            continue
        chosen.append(user_id)
    return chosen


def over_limit(recent_requests: int, per_hour: int) -> bool:
    """A member may not send more than ``per_hour`` requests in an hour."""
    return recent_requests >= per_hour
