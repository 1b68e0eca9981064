"""The rules of a kind-words invitation. Pure: no Telegram, no database.

An invitation is asked for (by an admin or by the member), and the group sees nothing until the
member says yes to the exact words. "No" is final. An open invitation ends when the member
stops it, when its time is up, or when the member leaves or is excluded.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

DAY = 86_400
DEFAULT_DAYS = 7
MAX_DAYS = 14
MAX_WORDS = 300
SENDS_PER_DAY = 3

ASKED = "asked"
OPEN = "open"
DECLINED = "declined"
ENDED = "ended"

YES = "yes"
NO = "no"
STOP = "stop"
EXPIRE = "expire"
LEFT = "left"

_NEXT = {
    (ASKED, YES): OPEN,
    (ASKED, NO): DECLINED,
    (ASKED, EXPIRE): DECLINED,
    (ASKED, LEFT): DECLINED,
    (OPEN, STOP): ENDED,
    (OPEN, EXPIRE): ENDED,
    (OPEN, LEFT): ENDED,
}
# Words posted in the group may not point at anyone: no links, handles or phone numbers.
_POINTERS = re.compile(r"https?://|www\.|t\.me/|@\w|\+?\d[\d\s-]{6,}\d", re.I)


def next_state(state: str, event: str) -> str | None:
    """Where an invitation goes on an event, or None: the event changes nothing."""
    return _NEXT.get((state, event))


def shows_in_group(state: str) -> bool:
    return state == OPEN


def clean_words(text: str) -> str | None:
    """The member's own words for the group post, tidied; None if empty, too long or pointing
    at an account, a link or a phone number."""
    words = " ".join(text.split())
    if not words or len(words) > MAX_WORDS or _POINTERS.search(words):
        return None
    return words


def ends_at(opened_at: int, days: int = DEFAULT_DAYS) -> int:
    """When an invitation opened at ``opened_at`` ends; days are kept within 1..MAX_DAYS."""
    return opened_at + min(max(days, 1), MAX_DAYS) * DAY


def may_send(sent_at: Sequence[int], now: int) -> bool:
    """Whether a sender may send one more kind message: at most SENDS_PER_DAY in any day."""
    recent = [moment for moment in sent_at if now - DAY < moment <= now]
    return len(recent) < SENDS_PER_DAY
