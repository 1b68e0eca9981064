"""Record types of one-to-one contact (frozen; import nothing of the package)."""

from __future__ import annotations

from dataclasses import dataclass

# What a request or conversation is now.
PENDING = "pending"
OPEN = "open"
CLOSED = "closed"
EXPIRED = "expired"
CANCELLED = "cancelled"

# What one copy of a request (an offer) is now.
OFFER_SENT = "sent"
OFFER_DECLINED = "declined"


@dataclass(frozen=True)
class Conversation:
    id: int
    chat_id: int
    member_id: int
    kind: str
    status: str
    helper_id: int | None
    round: int
    closed_reason: str | None
    created_at: int
    accepted_at: int | None
    last_activity_at: int | None
    closed_at: int | None

    def other_side(self, user_id: int) -> int | None:
        if user_id == self.member_id:
            return self.helper_id
        if user_id == self.helper_id:
            return self.member_id
        return None


@dataclass(frozen=True)
class Offer:
    id: int
    conversation_id: int
    helper_id: int | None
    message_chat_id: int
    message_id: int
    status: str


@dataclass(frozen=True)
class Listening:
    user_id: int
    chat_id: int
    paused: bool


@dataclass(frozen=True)
class Feedback:
    id: str
    chat_id: int
    week: str
    body: str
