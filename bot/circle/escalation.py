"""Escalation's states and rules (pure): the member's "I need support now" and an
administrator's concern.

An escalation moves between states, each move conditional on the current state (so a replayed
button or a late timer does nothing). The moves themselves live in ``support_now.py`` and
``concern.py``; carrying one out goes through ``disclosure.carry_out`` only.

States: a concern starts ``asking``; a "yes, I'll choose" or "I need support now" is
``picking``; the member's send makes it ``approved`` (the gate then takes it to
``delivering_live`` and ``done``). A concern may end ``declined``, ``talk``, ``no_answer`` or go
``advance`` (decided beforehand); the member's own may end ``cancelled``.
"""

from __future__ import annotations

from collections.abc import Iterable

MEMBER = "member"  # started by the member: "I need support now"
ADMIN = "admin"  # started by an administrator's /concern

ASKING = "asking"
PICKING = "picking"
APPROVED = "approved"
DECLINED = "declined"
TALK = "talk"
NO_ANSWER = "no_answer"
CANCELLED = "cancelled"
ADVANCE = "advance"
OPEN_ADMIN = (ASKING, PICKING)  # a concern still waiting for the member

UNREACHED = ("unreachable", "help_failed")  # outcomes that reached nobody


def reached_someone(hows: Iterable[str]) -> bool:
    """Whether any outcome of carrying out an escalation reached a person."""
    return any(how not in UNREACHED for how in hows)


def toggled(chosen: Iterable[int], person_id: int) -> list[int]:
    """The chosen persons with ``person_id`` ticked or unticked."""
    picked = set(chosen)
    picked.symmetric_difference_update({person_id})
    return sorted(picked)
