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

UNREACHED = ("unreachable", "help_failed", "admin_failed")  # outcomes that reached nobody

HELP = "help"  # the help text goes to this person's own Telegram account
SEE = "see"  # an administrator may see this person's number
CONTACT = "contact"  # an administrator may phone this person (needs SEE)
ADMIN_PURPOSES = (SEE, CONTACT)


def reached_someone(hows: Iterable[str]) -> bool:
    """Whether any outcome of carrying out an escalation reached a person."""
    return any(how not in UNREACHED for how in hows)


def toggled(chosen: Iterable[int], person_id: int) -> list[int]:
    """The chosen persons with ``person_id`` ticked or unticked."""
    picked = set(chosen)
    picked.symmetric_difference_update({person_id})
    return sorted(picked)


def offered(*, on_telegram: bool, has_phone: bool, kind: str) -> tuple[str, ...]:
    """The purposes the member can tick for one person (what could actually happen)."""
    found: list[str] = []
    if on_telegram:
        found.append(HELP)
    if has_phone or kind == ADMIN:
        found += [SEE, CONTACT]
    return tuple(found)


def suggested(*, on_telegram: bool, has_phone: bool, kind: str) -> tuple[str, ...]:
    """What a tap on a person ticks at first (shown, and changeable before Send): the help
    text for someone on Telegram, else an administrator's phone call."""
    if on_telegram and kind == MEMBER:
        return (HELP,)
    return offered(on_telegram=on_telegram, has_phone=has_phone, kind=kind)


def ticked(current: Iterable[str], purpose: str) -> tuple[str, ...]:
    """``current`` with ``purpose`` ticked or unticked: phoning needs the number, so ticking
    "may phone" ticks "may see", and unticking "may see" unticks "may phone"."""
    chosen = set(current)
    if purpose in chosen:
        chosen.discard(purpose)
        if purpose == SEE:
            chosen.discard(CONTACT)
    else:
        chosen.add(purpose)
        if purpose == CONTACT:
            chosen.add(SEE)
    return tuple(p for p in (HELP, SEE, CONTACT) if p in chosen)


def needs_admin(purposes: Iterable[tuple[int, Iterable[str]]]) -> bool:
    """Whether anything ticked asks an administrator to see or phone someone."""
    return any(p in ADMIN_PURPOSES for _, ticks in purposes for p in ticks)


def rotate(
    candidates: Iterable[int], on_duty: Iterable[int], last_card: dict[int, int]
) -> int | None:
    """The administrator for the next phone card: on duty first, then the one whose last card
    is oldest (never first), then the lowest id — so two reachable admins take turns."""
    pool = sorted(set(candidates))
    if not pool:
        return None
    duty = [a for a in pool if a in set(on_duty)]
    pool = duty or pool
    return min(pool, key=lambda a: (last_card.get(a, 0), a))
