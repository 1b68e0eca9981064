"""Who may act on whom, and the small rules of moderation — no Telegram objects here.

* :func:`refusal_for_target` — why a member cannot be the target of a measure (admins, the
  group's creator, the bot itself, Telegram's service accounts), or ``None``.
* :func:`parse_command` — the target, duration and reason out of a command's words.
* :func:`checkin_times` — when the bot checks in privately with an excluded member.
* :func:`report_allowed` — the per-member report flood limit.
* :func:`message_link` — a link to a group message for the admins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Final, Literal

from bot.ids import parse_id
from bot.moderation.durations import DurationError, parse_duration

# Telegram: a restriction shorter than 30 s or longer than 366 days is forever.
TELEGRAM_MIN_SECONDS: Final = 30
TELEGRAM_MAX_SECONDS: Final = 366 * 86400

ANONYMOUS_ADMIN_ID: Final = 1087968824
SERVICE_ACCOUNT_ID: Final = 777000  # "Telegram": posts forwarded from a linked channel

# Reports: how many one member may send in a window (every member, every group).
REPORT_LIMIT: Final = 5
REPORT_WINDOW: Final = 3600
# Appeals: one member, per day.
APPEAL_LIMIT: Final = 3
APPEAL_WINDOW: Final = 86400
# How long after a warning or measure a member may still appeal it.
APPEAL_HORIZON: Final = 30 * 86400
# How long a /linkadmins code waits for the member group's confirmation.
LINK_CODE_TTL: Final = 3600
# Readmission invite links stay valid for this long (single use).
INVITE_TTL: Final = 7 * 86400
# While admins have an open flag about a sender, their further ads raise no new flag this long.
FLAG_QUIET_SECONDS: Final = 6 * 3600
# One-tap mute from a report.
REPORT_MUTE_SECONDS: Final = 86400
# Reasons are short; longer text is cut.
MAX_REASON_CHARS: Final = 300

Refusal = Literal["self", "bot", "service", "admin", "creator", "not_member"]
TargetStatus = Literal["creator", "administrator", "member", "restricted", "left", "kicked"]


def refusal_for_target(
    *,
    actor_id: int | None,
    target_id: int,
    target_status: str | None,
    target_is_bot: bool,
    bot_id: int,
) -> Refusal | None:
    """Why the bot will not mute or exclude this person, or ``None`` if it may.

    Admins and the creator can only be changed by Telegram's own tools; the bot never
    restricts them. The anonymous-admin and service accounts are never treated as people.
    """
    if target_id in (ANONYMOUS_ADMIN_ID, SERVICE_ACCOUNT_ID):
        return "service"
    if target_id == bot_id or target_is_bot:
        return "bot"
    if actor_id is not None and target_id == actor_id:
        return "self"
    if target_status == "creator":
        return "creator"
    if target_status == "administrator":
        return "admin"
    return None


@dataclass(frozen=True)
class ParsedCommand:
    """A moderation command's words, read: whom, for how long, why, and a named contact."""

    target_id: int | None
    duration: timedelta | None
    reason: str | None
    contact_id: int | None = None
    target_handle: str | None = None  # ``@name``: the caller looks up whom the bot knows by it


class CommandError(Exception):
    """The command's words cannot be used. ``code`` names the catalogue answer."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


_USER_ID = re.compile(r"^-?\d{5,20}$")
# Telegram usernames: 5-32 letters, digits and underscores (a few old ones are shorter).
_HANDLE = re.compile(r"^@([A-Za-z][A-Za-z0-9_]{2,31})$")
_CONTACT = re.compile(r"^contact[=:](\d{5,20})$", re.IGNORECASE)


def _take_duration(words: list[str]) -> tuple[timedelta, list[str]]:
    """The longest leading run of words that reads as a duration (``1d 12h``, ``siku 3``)."""
    best: tuple[timedelta, int] | None = None
    reason = "unreadable"
    for end in range(1, min(len(words), 6) + 1):
        try:
            best = (parse_duration(" ".join(words[:end])), end)
        except DurationError as error:
            if error.reason != "unreadable":
                reason = error.reason
    if best is None:
        raise CommandError(f"duration_{reason}")
    return best[0], words[best[1] :]


def parse_command(
    args: list[str], *, has_reply_target: bool, needs_duration: bool
) -> ParsedCommand:
    """Read ``[user_id|@username] [DURATION] [contact=ID] [reason...]``.

    With a reply the target comes from the replied-to message and a leading number is part of
    the duration or reason; without one the first word must be the member's numeric id or
    their ``@username``.
    """
    words = [word for word in args if word]
    target_id: int | None = None
    target_handle: str | None = None
    if not has_reply_target:
        handle = _HANDLE.match(words[0]) if words else None
        if handle is not None:
            target_handle = handle.group(1)
            words.pop(0)
        else:
            target_id = parse_id(words[0]) if words and _USER_ID.match(words[0]) else None
            if target_id is None:
                raise CommandError("no_target")
            words.pop(0)
    duration: timedelta | None = None
    if needs_duration:
        if not words:
            raise CommandError("duration_missing")
        duration, words = _take_duration(words)
    contact_id: int | None = None
    rest: list[str] = []
    for word in words:
        match = _CONTACT.match(word)
        contact = parse_id(match.group(1)) if match else None
        if contact is not None and contact_id is None:
            contact_id = contact
        else:
            rest.append(word)
    reason = " ".join(rest).strip()[:MAX_REASON_CHARS] or None
    return ParsedCommand(
        target_id=target_id,
        duration=duration,
        reason=reason,
        contact_id=contact_id,
        target_handle=target_handle,
    )


def safe_until(now: int, seconds: int) -> int:
    """The ``until_date`` to send Telegram; raises if it would be read as "forever"."""
    if not TELEGRAM_MIN_SECONDS < seconds < TELEGRAM_MAX_SECONDS:
        raise CommandError("duration_too_long" if seconds > 0 else "duration_too_short")
    return now + seconds


def checkin_times(starts_at: int, ends_at: int) -> list[int]:
    """When to check in with an excluded member: daily, or once half-way for a short one.

    No check-in in the last two hours before the end (the welcome back comes then), none for
    exclusions under four hours, and at most fourteen.
    """
    length = ends_at - starts_at
    if length < 4 * 3600:
        return []
    if length <= 2 * 86400:
        return [starts_at + length // 2]
    times: list[int] = []
    at = starts_at + 86400
    while at <= ends_at - 2 * 3600 and len(times) < 14:
        times.append(at)
        at += 86400
    return times


def admin_reminder_time(starts_at: int, ends_at: int) -> int | None:
    """When to remind the member's named admin to check in: a day before the end (2 d or more)."""
    if ends_at - starts_at < 2 * 86400:
        return None
    return ends_at - 86400


def report_allowed(recent_reports: int, limit: int = REPORT_LIMIT) -> bool:
    """A member may send another report unless they sent ``limit`` within the window."""
    return recent_reports < limit


def message_link(chat_id: int, message_id: int, username: str | None = None) -> str | None:
    """A t.me link to a group message: public groups by name, supergroups by internal id.

    Basic groups (ids not starting with -100) have no message links.
    """
    if username:
        return f"https://t.me/{username}/{message_id}"
    text = str(chat_id)
    if text.startswith("-100"):
        return f"https://t.me/c/{text[4:]}/{message_id}"
    return None


def duration_parts(seconds: int) -> list[tuple[str, int]]:
    """``[(unit, amount)]`` largest first, at most two units (``1 day 12 hours``)."""
    parts: list[tuple[str, int]] = []
    remaining = max(0, seconds)
    for unit, size in (("weeks", 7 * 86400), ("days", 86400), ("hours", 3600), ("minutes", 60)):
        amount, remaining = divmod(remaining, size)
        if amount:
            parts.append((unit, amount))
    return parts[:2] or [("minutes", 1)]
