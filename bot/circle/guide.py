"""The guided conversation of /mycircle and /consent: one question at a time.

What the member has answered so far is a draft in the database (encrypted, resumable even
after a restart, cancellable at any step). What the bot awaits next is the person's awaiting
record (kind ``circle.answer``, payload: the step), which expires after ``ANSWER_WINDOW``: a
text counts as an answer only that soon after the question; an abandoned conversation is
picked up again from /mycircle ("Continue where I left off").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.circle import consent, disclosure, persons
from bot.circle import phone as phones
from bot.circle.callbacks import FEATURE
from bot.circle.consent import AdvanceDecision
from bot.circle.disclosure import Place
from bot.errors import RefusedError, StaleButtonError
from bot.records.awaiting import Awaiting
from bot.records.circle import Draft, SupportPerson
from bot.talk import awaiting as talk_awaiting

if TYPE_CHECKING:
    from bot.context import App

ANSWER = f"{FEATURE}.answer"  # the awaiting kind: circle.answer
ANSWER_WINDOW = 30 * 60
MAX_TEXT = 1000

# Each state asks one question. "help:preview" and "adv:pick|wait|expiry" wait for buttons.
ADD_STEPS = ("add:name", "add:relationship", "add:phone", "add:notes", "add:asked")
QUESTION = {
    "add:name": "circle.ask_name",
    "add:relationship": "circle.ask_relationship",
    "add:phone": "circle.ask_phone",
    "add:notes": "circle.ask_notes",
    "add:asked": "circle.ask_asked",
    "edit:name": "circle.ask_name",
    "edit:relationship": "circle.ask_relationship",
    "edit:phone": "circle.ask_phone",
    "edit:notes": "circle.ask_notes",
    "never:name": "circle.ask_never_name",
    "never:relationship": "circle.ask_relationship",
    "help:text": "circle.ask_help",
    "adv:wishes": "circle.ask_wishes",
}
SKIPPABLE = {"add:relationship", "add:phone", "add:notes", "never:relationship", "adv:wishes"}
ADD_NAME = "add:name"
ADD_ASKED = "add:asked"
NEVER_NAME = "never:name"
HELP_TEXT = "help:text"
HELP_PREVIEW = "help:preview"
ADVANCE_PICK = "adv:pick"
ADVANCE_WAIT = "adv:wait"
ADVANCE_EXPIRY = "adv:expiry"
ADVANCE_WISHES = "adv:wishes"


def editing(person_id: int, field: str) -> str:
    return f"edit:{person_id}:{field}"


def can_skip(state: str) -> bool:
    """Every answer is optional except a name (and the help text itself)."""
    if state.startswith("edit:"):
        return not state.endswith(":name")
    return state in SKIPPABLE


def question_key(state: str) -> str:
    return QUESTION[f"edit:{state.split(':')[-1]}" if state.startswith("edit:") else state]


def step_of(state: str) -> tuple[int, int] | None:
    """ "Step n of total" while adding a person."""
    if state in ADD_STEPS:
        return ADD_STEPS.index(state) + 1, len(ADD_STEPS)
    return None


# -- the draft and the awaiting record, always together --------------------------------------


async def save(app: App, user_id: int, state: str, answers: dict[str, Any]) -> None:
    """Remember where we are, and await the member's answer (for the window)."""
    store = app.bot_data.store
    await store.circle.save_draft(user_id, state, answers)
    # ``+ 1``: an answer exactly ANSWER_WINDOW seconds later still counts.
    await store.awaiting.expect(user_id, ANSWER, ANSWER_WINDOW + 1, {"step": state})


async def end(app: App, user_id: int) -> None:
    store = app.bot_data.store
    await store.circle.drop_draft(user_id)
    await store.awaiting.clear(user_id, ANSWER)


async def draft(app: App, user_id: int) -> Draft | None:
    return await app.bot_data.store.circle.draft(user_id)


async def draft_in(app: App, user_id: int, *states: str) -> Draft:
    """The draft, if it is at one of ``states``; else the button is stale."""
    found = await draft(app, user_id)
    if found is None or found.state not in states:
        raise StaleButtonError
    return found


async def awaited(app: App, awaiting: Awaiting) -> Draft | None:
    """The draft the awaiting record is for; ``None`` (and no longer awaited) if it is gone."""
    found = await draft(app, awaiting.user_id)
    if found is None or found.state != awaiting.payload.get("step"):
        await app.bot_data.store.awaiting.clear(awaiting.user_id, ANSWER)
        return None
    return found


async def talk_busy(app: App, user_id: int) -> bool:
    """The person is in a one-to-one conversation: their words are for it, not for us."""
    return await talk_awaiting.busy(app.bot_data, user_id)


def checked(text: str) -> str:
    """A written answer, trimmed; refused when empty or too long."""
    value = text.strip()
    if not value or len(value) > MAX_TEXT:
        raise RefusedError("circle.too_long", limit=MAX_TEXT)
    return value


# -- one answer moves the conversation on ----------------------------------------------------


@dataclass(frozen=True)
class Question:
    """Ask the question of ``state`` next."""

    state: str


@dataclass(frozen=True)
class Edited:
    person_id: int


@dataclass(frozen=True)
class Gone:
    """The person being edited is no longer the member's."""


@dataclass(frozen=True)
class NeverSaved:
    pass


@dataclass(frozen=True)
class HelpPreview:
    words: str


@dataclass(frozen=True)
class AdvanceSaved:
    decision: AdvanceDecision
    places: tuple[Place, ...] = ()


@dataclass(frozen=True)
class Nothing:
    """Nothing to show (a name cannot be skipped; a text where a button was expected)."""


Outcome = Question | Edited | Gone | NeverSaved | HelpPreview | AdvanceSaved | Nothing


async def take(app: App, user_id: int, current: Draft, value: str | None) -> Outcome:
    """Take one answer (``None`` = skipped) and move to the next question or finish."""
    settings = app.bot_data.settings
    state, answers = current.state, dict(current.data)
    if state.endswith(":phone") and value is not None:
        try:
            value = phones.normalise(value, settings.default_country)
        except phones.InvalidPhoneError:
            raise RefusedError("circle.bad_phone", country=settings.default_country) from None
    if state == ADD_NAME or (state.startswith("edit:") and state.endswith(":name")):
        if value is None:
            return Nothing()
        if await persons.is_never(app, user_id, value):
            raise RefusedError("circle.name_on_never_list")
    if state.startswith("add:"):
        answers[state.split(":")[1]] = value
        following = ADD_STEPS[ADD_STEPS.index(state) + 1]
        await save(app, user_id, following, answers)
        return Question(following)
    if state.startswith("edit:"):
        _, person_text, field = state.split(":")
        person = await persons.own_person_or_none(app, user_id, int(person_text))
        await end(app, user_id)
        if person is None:
            return Gone()
        await persons.change(app, person, field, value)
        return Edited(person.id)
    if state == NEVER_NAME:
        if value is None:
            return Nothing()
        answers["name"] = value
        await save(app, user_id, "never:relationship", answers)
        return Question("never:relationship")
    if state == "never:relationship":
        await persons.add_never(app, user_id, str(answers["name"]), value)
        await end(app, user_id)
        return NeverSaved()
    if state == HELP_TEXT:
        if value is None:
            return Nothing()
        answers["text"] = value
        await save(app, user_id, HELP_PREVIEW, answers)
        return HelpPreview(value)
    if state == ADVANCE_WISHES:
        decision = await consent.decide_in_advance(
            app,
            user_id,
            {int(pid) for pid in answers.get("persons", [])},
            days=int(answers.get("days", consent.DEFAULT_ADVANCE_DAYS)),
            minutes=int(answers.get("minutes", consent.DEFAULT_WAIT_MINUTES)),
            wishes=value,
        )
        bound = await disclosure.bind_advance(app, user_id)
        await end(app, user_id)
        return AdvanceSaved(decision, tuple(bound))
    await end(app, user_id)
    return Nothing()


async def finish_add(app: App, user_id: int, asked: bool) -> SupportPerson | None:
    """The last answer of adding ("already asked them?"): the person, or ``None`` if full."""
    current = await draft_in(app, user_id, ADD_ASKED)
    await end(app, user_id)
    return await persons.add(app, user_id, dict(current.data), asked)
