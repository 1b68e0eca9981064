"""Whether a chat member is in the chat now, from Telegram's ``ChatMember`` answer."""

from __future__ import annotations

from telegram import ChatMember
from telegram.constants import ChatMemberStatus

PRESENT = frozenset(
    {
        ChatMemberStatus.MEMBER,
        ChatMemberStatus.ADMINISTRATOR,
        ChatMemberStatus.OWNER,
        ChatMemberStatus.RESTRICTED,
    }
)


def is_present(member: ChatMember) -> bool:
    """In the chat now: a restricted member counts only while still in the chat."""
    if member.status == ChatMemberStatus.RESTRICTED:
        return bool(getattr(member, "is_member", True))
    return member.status in PRESENT
