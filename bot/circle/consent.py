"""The consent ledger: its rules (pure), and the only code that writes to it.

Purposes are separate and unbundled: ``see`` (admins may see this person's details),
``contact`` (admins may contact this person), ``help`` (the help text may be sent to them).
Scope ``live`` is a yes given for one escalation; ``advance`` is decided beforehand, with an
expiry date, a waiting time and wishes. The ledger is append-only: withdrawing or expiring is a
new entry, never a change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.circle.callbacks import FEATURE
from bot.errors import NotForYouError, StaleButtonError
from bot.records.circle import PURPOSES, ConsentEntry, Escalation

if TYPE_CHECKING:
    from bot.context import App

DEFAULT_ADVANCE_DAYS = 182  # about six months
ADVANCE_CHOICES_DAYS = (30, 91, 182, 365)
WAIT_CHOICES_MINUTES = (30, 60, 180, 720)
DEFAULT_WAIT_MINUTES = 60
LIVE_ANSWER_MINUTES = 60  # without advance consent: no answer within this time means no
HISTORY_SHOWN = 8

# The timed work: an advance decision reaches its end date.
ADVANCE_ENDS = f"{FEATURE}.advance_ends"


# -- the rules (pure) ------------------------------------------------------------------------


def is_valid(entry: ConsentEntry | None, now: int) -> bool:
    """A consent holds if its newest entry is a "given" that has not expired."""
    if entry is None or entry.event != "given":
        return False
    return entry.expires_at is None or entry.expires_at > now


def has_lapsed(entry: ConsentEntry | None, now: int) -> bool:
    """A "given" whose expiry date has passed (the ledger should record it as expired)."""
    return (
        entry is not None
        and entry.event == "given"
        and entry.expires_at is not None
        and entry.expires_at <= now
    )


# -- reading ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActiveConsent:
    """One advance consent in force: for whom, which purpose, and its entry."""

    name: str
    purpose: str
    entry: ConsentEntry


@dataclass(frozen=True)
class Overview:
    """What ``/consent`` shows the member: what holds now, and the recent history.

    The wishes shown are the last person's whose "see" consent holds and carries some."""

    active: tuple[ActiveConsent, ...]  # person by person, purpose by purpose
    history: tuple[tuple[str, ConsentEntry], ...]  # (person's name or "—", entry)
    has_persons: bool


@dataclass(frozen=True)
class AdvancePlan:
    """The member's valid advance consent: who, and how long to wait for a live answer."""

    persons: tuple[int, ...]
    wait_minutes: int
    decided_at: int


async def overview(app: App, member_id: int) -> Overview:
    data = app.bot_data
    store = data.store
    await expire_lapsed(app, member_id)
    now = data.clock.epoch()
    names = {p.id: p.name for p in await store.circle.persons(member_id)}
    active: list[ActiveConsent] = []
    for person_id, name in names.items():
        for purpose in PURPOSES:
            entry = await store.ledger.latest(member_id, person_id, purpose, "advance", None)
            if is_valid(entry, now) and entry is not None:
                active.append(ActiveConsent(name, purpose, entry))
    history = (await store.ledger.history(member_id))[-HISTORY_SHOWN:]
    return Overview(
        active=tuple(active),
        history=tuple((names.get(e.person_id, "—"), e) for e in history),
        has_persons=bool(names),
    )


async def advance_plan(app: App, member_id: int) -> AdvancePlan | None:
    """The member's valid advance consent, or ``None`` (lapsed ones are recorded first)."""
    data = app.bot_data
    store = data.store
    now = data.clock.epoch()
    await expire_lapsed(app, member_id)
    persons: list[int] = []
    wait = DEFAULT_WAIT_MINUTES
    decided = 0
    for person in await store.circle.persons(member_id):
        for purpose in ("see", "help"):
            entry = await store.ledger.latest(member_id, person.id, purpose, "advance", None)
            if is_valid(entry, now) and entry is not None:
                if person.id not in persons:
                    persons.append(person.id)
                if entry.created_at >= decided:
                    decided = entry.created_at
                    wait = entry.wait_minutes or DEFAULT_WAIT_MINUTES
    if not persons:
        return None
    return AdvancePlan(persons=tuple(persons), wait_minutes=wait, decided_at=decided)


# -- writing: every ledger entry is appended here --------------------------------------------


async def expire_lapsed(app: App, member_id: int) -> int:
    """Record ``expired`` for every advance consent of the member whose date has passed."""
    store = app.bot_data.store
    now = app.bot_data.clock.epoch()
    seen: set[tuple[int, str]] = set()
    count = 0
    for entry in reversed(await store.ledger.history(member_id)):
        if entry.scope != "advance" or (entry.person_id, entry.purpose) in seen:
            continue
        seen.add((entry.person_id, entry.purpose))
        if has_lapsed(entry, now):
            await store.ledger.append(
                member_id, entry.person_id, entry.purpose, scope="advance", event="expired"
            )
            count += 1
    return count


async def withdraw(app: App, member_id: int, consent_id: int) -> None:
    """Withdraw one consent in force, in one tap. Only the member's own, only the newest."""
    data = app.bot_data
    ledger = data.store.ledger
    entry = await ledger.consent(consent_id)
    if entry is None:
        raise StaleButtonError
    if entry.member_id != member_id:
        raise NotForYouError
    latest = await ledger.latest(
        member_id, entry.person_id, entry.purpose, entry.scope, entry.escalation_id
    )
    if latest is None or latest.id != entry.id or not is_valid(entry, data.clock.epoch()):
        raise StaleButtonError
    await ledger.append(
        member_id,
        entry.person_id,
        entry.purpose,
        scope=entry.scope,
        event="withdrawn",
        escalation_id=entry.escalation_id,
    )


async def withdraw_all(app: App, member_id: int) -> None:
    """Withdraw every advance consent in force."""
    data = app.bot_data
    store = data.store
    now = data.clock.epoch()
    for person in await store.circle.persons(member_id):
        for purpose in PURPOSES:
            entry = await store.ledger.latest(member_id, person.id, purpose, "advance", None)
            if is_valid(entry, now):
                await store.ledger.append(
                    member_id, person.id, purpose, scope="advance", event="withdrawn"
                )


@dataclass(frozen=True)
class AdvanceDecision:
    names: tuple[str, ...]
    minutes: int
    expires_at: int


async def decide_in_advance(
    app: App,
    member_id: int,
    chosen: set[int],
    *,
    days: int,
    minutes: int,
    wishes: str | None,
) -> AdvanceDecision:
    """One entry per person and purpose, with its expiry; persons not chosen are withdrawn."""
    data = app.bot_data
    store = data.store
    now = data.clock.epoch()
    expires = now + days * 86400
    own = {p.id: p for p in await store.circle.persons(member_id)}
    for person_id in own:
        for purpose in PURPOSES:
            if person_id in chosen:
                await store.ledger.append(
                    member_id,
                    person_id,
                    purpose,
                    scope="advance",
                    event="given",
                    expires_at=expires,
                    wait_minutes=minutes,
                    wishes=wishes,
                )
            elif is_valid(
                await store.ledger.latest(member_id, person_id, purpose, "advance", None), now
            ):
                await store.ledger.append(
                    member_id, person_id, purpose, scope="advance", event="withdrawn"
                )
    if chosen:
        await data.scheduler.schedule(
            app,
            ADVANCE_ENDS,
            expires,
            user_id=member_id,
            dedupe_key=f"{ADVANCE_ENDS}:{member_id}",
        )
    return AdvanceDecision(
        names=tuple(own[p].name for p in sorted(chosen) if p in own),
        minutes=minutes,
        expires_at=expires,
    )


async def give_live(app: App, escalation: Escalation) -> None:
    """The member's yes for this escalation: one entry per chosen person and purpose they
    ticked — exactly what they ticked, nothing bundled."""
    ledger = app.bot_data.store.ledger
    for person_id in escalation.persons:
        for purpose in escalation.purposes_of(person_id):
            await ledger.append(
                escalation.member_id,
                person_id,
                purpose,
                scope="live",
                event="given",
                escalation_id=escalation.id,
            )
