"""Gentle, anonymous questions: the pulse after a session ("Did you feel safe and
respected?") and, at most once a quarter, "How is our group doing?". Each has one answer by
buttons and optional words. Answers are stored without any person id and dated by week only;
a keyed digest (which cannot be turned back into an id) stops a second answer. Never a
clinical or symptom measure."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.records.sessions import REFLECTION, RUN, PulseSubject
from bot.sessions import FEATURE
from bot.storage.talk import iso_week
from bot.talk.members import groups_of

if TYPE_CHECKING:
    from bot.context import App, BotData

IMPROVE = f"{FEATURE}.improve"
"""Awaiting the optional words; payload: kind, id, answer (until the person answers)."""
PROMPT_SECONDS = 24 * 3600
MAX_WORDS = 1000
REFLECTION_EVERY = 90 * 86_400
REFLECTION_OPEN = 30 * 86_400
ANSWERS = {
    RUN: ("yes", "mostly", "not_really", "rather_not_say"),
    REFLECTION: ("very_well", "well_enough", "not_so_well", "rather_not_say"),
}
GOOD = {RUN: ("yes", "mostly"), REFLECTION: ("very_well", "well_enough")}


def _digest(data: BotData, subject: PulseSubject, user_id: int) -> str:
    return data.store.cipher.digest(f"{subject.key}:{user_id}", "session_pulse")


async def subject_of(data: BotData, kind: str, subject_id: int) -> PulseSubject | None:
    """The question, if it is still open: a closed meeting, or a reflection under 30 days old."""
    if kind == RUN:
        run = await data.store.sessions.run(subject_id)
        if run is None or run.open:
            return None
        return PulseSubject(RUN, run.id, run.chat_id)
    if kind == REFLECTION:
        found = await data.store.sessions.reflection(subject_id)
        if found is None or data.clock.epoch() - found[1] > REFLECTION_OPEN:
            return None
        return found[0]
    return None


async def answerable(app: App, user_id: int, kind: str, subject_id: int) -> PulseSubject | None:
    """An open question of the person's group that they have not answered yet."""
    data = app.bot_data
    subject = await subject_of(data, kind, subject_id)
    if subject is None or subject.chat_id not in await groups_of(app, user_id):
        return None
    if await data.store.sessions.pulse_seen(subject, _digest(data, subject, user_id)):
        return None
    return subject


async def reflection_due(data: BotData, chat_id: int) -> int | None:
    """None if the group may be asked now; else when the last reflection was opened."""
    last = await data.store.sessions.last_reflection(chat_id)
    if last is None or data.clock.epoch() - last >= REFLECTION_EVERY:
        return None
    return last


async def first_answer(data: BotData, user_id: int, subject: PulseSubject, answer: str) -> None:
    """Hold the first answer until the words (or "nothing to add") arrive."""
    if answer not in ANSWERS[subject.kind]:
        raise ValueError(answer)
    payload = {"kind": subject.kind, "id": subject.id, "answer": answer}
    await data.store.awaiting.expect(user_id, IMPROVE, PROMPT_SECONDS, payload)


async def finish(app: App, user_id: int, improve: str | None) -> bool:
    """Store the answer and the words together, without the person; False if nothing waited."""
    data = app.bot_data
    waiting = await data.store.awaiting.current(user_id)
    if waiting is None or waiting.kind != IMPROVE:
        return False
    await data.store.awaiting.clear(user_id, IMPROVE)
    kind = str(waiting.payload.get("kind", ""))
    subject = await subject_of(data, kind, int(waiting.payload.get("id", 0)))
    answer = str(waiting.payload.get("answer", ""))
    if subject is None or answer not in ANSWERS[subject.kind]:
        return False
    words = improve.strip()[:MAX_WORDS] if improve and improve.strip() else None
    return await data.store.sessions.add_pulse(
        subject, _digest(data, subject, user_id), answer, words, iso_week(data.clock.epoch())
    )
