"""The member's own circle: up to three support persons, the never-contact list, the help text.

Only the member changes their circle; every function takes the member's id and refuses a
person who is not theirs (removed, someone else's, forged) as a stale button.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.errors import RefusedError, StaleButtonError
from bot.records.circle import PERSON_FIELDS, SupportPerson

if TYPE_CHECKING:
    from bot.context import App

MAX_PERSONS = 3


async def own_person(app: App, member_id: int, person_id: int) -> SupportPerson:
    """The member's own support person, else the button is stale."""
    person = await app.bot_data.store.circle.person(person_id)
    if person is None or person.member_id != member_id:
        raise StaleButtonError
    return person


async def own_person_or_none(app: App, member_id: int, person_id: int) -> SupportPerson | None:
    person = await app.bot_data.store.circle.person(person_id)
    if person is None or person.member_id != member_id:
        return None
    return person


async def remember_name(app: App, member_id: int, first_name: str) -> None:
    """The name the member's support persons see (their Telegram first name, kept current)."""
    await app.bot_data.store.circle.set_display_name(member_id, first_name)


async def may_add(app: App, member_id: int) -> None:
    """Refuse starting to add a fourth person."""
    if len(await app.bot_data.store.circle.persons(member_id)) >= MAX_PERSONS:
        raise RefusedError("circle.full_alert")


async def add(
    app: App, member_id: int, answers: dict[str, Any], asked: bool
) -> SupportPerson | None:
    """Add a person from the guided answers; ``None`` if the circle is full by now."""
    store = app.bot_data.store
    if len(await store.circle.persons(member_id)) >= MAX_PERSONS:
        return None
    person_id = await store.circle.add_person(
        member_id,
        str(answers.get("name") or ""),
        relationship=answers.get("relationship"),
        phone=answers.get("phone"),
        notes=answers.get("notes"),
        asked=asked,
    )
    return await store.circle.person(person_id)


async def change(app: App, person: SupportPerson, field: str, value: str | None) -> None:
    if field not in PERSON_FIELDS:
        raise StaleButtonError
    await app.bot_data.store.circle.update_field(person.id, field, value)


async def toggle_asked(app: App, person: SupportPerson) -> SupportPerson | None:
    """ "I have asked them" on or off; the person as it is now."""
    store = app.bot_data.store
    await store.circle.set_asked(person.id, not person.asked)
    return await store.circle.person(person.id)


async def remove(app: App, person: SupportPerson) -> None:
    await app.bot_data.store.circle.remove_person(person.id)


async def is_never(app: App, member_id: int, name: str) -> bool:
    return await app.bot_data.store.circle.is_never(member_id, name)


async def add_never(app: App, member_id: int, name: str, relationship: str | None) -> None:
    await app.bot_data.store.circle.add_never(member_id, name, relationship)


async def remove_never(app: App, member_id: int, never_id: int) -> None:
    if not await app.bot_data.store.circle.remove_never(member_id, never_id):
        raise StaleButtonError


async def save_help_text(app: App, member_id: int, words: str | None) -> None:
    """The member's help text in their own words (``None`` deletes it)."""
    await app.bot_data.store.circle.set_help_text(member_id, words)
