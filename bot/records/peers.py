"""Record types of peer-to-peer support (frozen; import nothing of the package)."""

from __future__ import annotations

from dataclasses import dataclass

AFTER = "after"
"""Check in once, after a number of days."""
QUIET = "quiet"
"""Check in if the person has not written in their groups for a while (only because they asked)."""
BOT = "bot"
ADMIN = "admin"
BUDDY = "buddy"
"""The person's buddy checks in (Pamoja itself when they have no buddy at that time)."""


@dataclass(frozen=True)
class CheckIn:
    id: int
    user_id: int
    kind: str
    days: int
    who: str
    chat_id: int | None
    next_at: int
    last_seen_at: int | None


@dataclass(frozen=True)
class PeerProfile:
    """A member who chose to receive one-to-one requests, and the words they chose about
    themselves (nothing inferred)."""

    user_id: int
    open: bool
    tags: tuple[str, ...]
    buddy: bool = False


@dataclass(frozen=True)
class PeerAsk:
    """A /talk request to a peer: a member named by the asker, or a stated preference."""

    conversation_id: int
    target_id: int | None
    wants: str | None


PROPOSED = "proposed"
ACTIVE = "active"


@dataclass(frozen=True)
class BuddyPair:
    """A proposed or active buddy pair (either side may end it, no reason needed)."""

    id: int
    chat_id: int
    member_id: int
    buddy_id: int
    status: str
    member_yes: bool
    buddy_yes: bool
    member_check: bool = False
    buddy_check: bool = False

    @property
    def both_allow_check(self) -> bool:
        """Both said an administrator may ask them how the match is going."""
        return self.member_check and self.buddy_check

    def other(self, user_id: int) -> int | None:
        if user_id == self.member_id:
            return self.buddy_id
        if user_id == self.buddy_id:
            return self.member_id
        return None
