"""My circle's record types: support persons, the never-contact list, invites, profiles,
drafts, consent-ledger entries, escalations, disclosures and outbox messages.

Frozen; imports nothing of the package. Decrypted values travel only in these records.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

PERSON_FIELDS = ("name", "relationship", "phone", "notes")


@dataclass(frozen=True)
class SupportPerson:
    id: int
    member_id: int
    name: str
    relationship: str | None
    phone: str | None
    notes: str | None
    asked: bool
    tg_user_id: int | None
    tg_status: str
    created_at: int
    has_phone: bool = False  # whether a number is recorded (set by the storage)

    @property
    def on_telegram(self) -> bool:
        return self.tg_status == "accepted" and self.tg_user_id is not None


@dataclass(frozen=True)
class NeverContact:
    id: int
    member_id: int
    name: str
    relationship: str | None


@dataclass(frozen=True)
class Invite:
    id: int
    person_id: int
    member_id: int
    opened_digest: str | None
    status: str
    expires_at: int


@dataclass(frozen=True)
class Profile:
    member_id: int
    display_name: str | None
    help_text: str | None


@dataclass(frozen=True)
class Draft:
    user_id: int
    state: str
    data: dict[str, Any]
    updated_at: int


PURPOSES = ("see", "contact", "help")


@dataclass(frozen=True)
class ConsentEntry:
    id: int
    member_id: int
    person_id: int
    purpose: str
    scope: str
    escalation_id: int | None
    event: str
    expires_at: int | None
    wait_minutes: int | None
    wishes: str | None
    created_at: int


@dataclass(frozen=True)
class Escalation:
    id: int
    member_id: int
    chat_id: int | None
    kind: str
    admin_id: int | None
    admin_name: str | None
    status: str
    persons: tuple[int, ...]
    due_at: int | None
    created_at: int
    answered_at: int | None
    chat_chosen: bool = False
    admin_chosen: bool = False
    purposes: tuple[tuple[int, tuple[str, ...]], ...] = ()

    def purposes_of(self, person_id: int) -> tuple[str, ...]:
        """What the member ticked for this person (empty: nothing)."""
        for pid, ticked in self.purposes:
            if pid == person_id:
                return ticked
        return ()


@dataclass(frozen=True)
class Disclosure:
    id: int
    member_id: int
    person_id: int | None
    person_label: str | None
    recipient_kind: str
    recipient_id: int
    recipient_name: str | None
    what: str
    consent_id: int
    consent_at: int
    escalation_id: int | None
    created_at: int
    status: str = "seen"


@dataclass(frozen=True)
class Confirmation:
    """A Telegram account that opened a support person's invite, waiting for the member's
    "yes, that is them"."""

    person_id: int
    member_id: int
    tg_user_id: int
    shown_as: str
    created_at: int


@dataclass(frozen=True)
class OutboxMessage:
    id: int
    chat_id: int
    body: str
    markup: dict[str, Any] | None
    kind: str
    member_id: int | None
    fail_chat: int | None
    fail_body: str | None
    status: str
    attempts: int
    claimed_at: int | None
