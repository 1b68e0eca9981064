"""The gentle pulse after a session: two optional questions, answered anonymously, once per
person per meeting. Stored without any person id and dated by week only; a keyed digest (which
cannot be turned back into an id) stops a second answer. Never a clinical or symptom measure."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.records.sessions import SessionRun
from bot.sessions import FEATURE, callbacks
from bot.storage.talk import iso_week
from bot.talk.members import groups_of

if TYPE_CHECKING:
    from bot.context import App, BotData

IMPROVE = f"{FEATURE}.improve"
"""Awaiting the optional second answer; payload: run, safe (until the person answers)."""
PROMPT_SECONDS = 24 * 3600
MAX_WORDS = 1000


def _digest(data: BotData, run_id: int, user_id: int) -> str:
    return data.store.cipher.digest(f"{run_id}:{user_id}", "session_pulse")


async def answerable(app: App, user_id: int, run_id: int) -> SessionRun | None:
    """A closed meeting of the person's group they have not answered for yet."""
    data = app.bot_data
    run = await data.store.sessions.run(run_id)
    if run is None or run.open or run.chat_id not in await groups_of(app, user_id):
        return None
    if await data.store.sessions.pulse_seen(run.id, _digest(data, run.id, user_id)):
        return None
    return run


async def first_answer(data: BotData, user_id: int, run: SessionRun, safe: str) -> None:
    """Hold the first answer until the second (or "nothing to add") arrives."""
    if safe not in callbacks.SAFE_ANSWERS:
        raise ValueError(safe)
    await data.store.awaiting.expect(
        user_id, IMPROVE, PROMPT_SECONDS, {"run": run.id, "safe": safe}
    )


async def finish(app: App, user_id: int, improve: str | None) -> bool:
    """Store both answers together, without the person; False if nothing was waiting."""
    data = app.bot_data
    waiting = await data.store.awaiting.current(user_id)
    if waiting is None or waiting.kind != IMPROVE:
        return False
    await data.store.awaiting.clear(user_id, IMPROVE)
    run = await data.store.sessions.run(int(waiting.payload.get("run", 0)))
    safe = str(waiting.payload.get("safe", ""))
    if run is None or safe not in callbacks.SAFE_ANSWERS:
        return False
    words = improve.strip()[:MAX_WORDS] if improve and improve.strip() else None
    return await data.store.sessions.add_pulse(
        run, _digest(data, run.id, user_id), safe, words, iso_week(data.clock.epoch())
    )
