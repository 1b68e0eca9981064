"""The join gate's policy: what to do when someone joins, and the gate's timings."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

# A newcomer who has not agreed after this long is reminded, once.
GATE_REMINDER_AFTER = 24 * 3600
# Newcomers who join within this long of a welcome share one welcome (a burst of joins is
# greeted once per window, not once per person).
WELCOME_WINDOW = 60
# Admins are reminded of an unanswered join request after this long ...
JOIN_REQUEST_REMINDER_AFTER = 24 * 3600
# ... and it is closed (declined, the applicant told kindly) after this long in all.
JOIN_REQUEST_EXPIRES_AFTER = 72 * 3600
# A personal invite link (/invite) lets one person in, once, within this long.
INVITE_LINK_TTL = 7 * 86400


class JoinAction(StrEnum):
    NOTHING = "nothing"  # an administrator, a bot, or someone who already agreed
    GREET = "greet"  # the gate is off: a short welcome that points to /rules
    ASK = "ask"  # the gate is on but the bot may not restrict: welcome and "I agree", no hold
    GATE = "gate"  # welcome, restrict until they tap "I agree"
    REASK = "reask"  # back after the rules changed: as for those who stayed, no hold, asked


@dataclass(frozen=True)
class Joiner:
    is_bot: bool
    is_admin: bool
    agreed_current: bool
    returning: bool = False  # back after a temporary exclusion: welcomed back, not re-asked
    agreed_earlier: bool = False  # agreed to an earlier version of the rules


def on_join(joiner: Joiner, *, gate_on: bool, can_restrict: bool) -> JoinAction:
    """Decide how to welcome someone who just joined.

    Nobody is gated twice for the same rules, and someone who agreed to earlier rules and comes
    back is treated like those who stayed: asked, gently, to agree to the new version, never
    held back. Without the right to restrict members the bot greets and asks, but cannot hold
    anyone back.
    """
    if joiner.is_bot or joiner.is_admin or joiner.agreed_current or joiner.returning:
        return JoinAction.NOTHING
    if joiner.agreed_earlier:
        return JoinAction.REASK
    if not gate_on:
        return JoinAction.GREET
    return JoinAction.GATE if can_restrict else JoinAction.ASK
