"""The update a task is handling, and whether its handling did something a second run would
repeat.

An update Telegram may send again (after a crash, before its offset was confirmed) is skipped
if its id was recorded as carried out (``bot/once.py``). Recording costs a write, so it is
kept for the updates that need it: those whose handling wrote to the database or made a Bot
API call that changes something (a send, a ban, an answer to a button). An ordinary group
message from a member the bot knows does neither (it is screened in memory), so it costs no
write; were it handled again after a crash, nothing would happen twice.

The storage layer (every statement that is not a read) and the Bot API transport (every method
but the ``get…`` reads) note it here, for whichever update is being handled in their task. The
outbox asks ``handling_update`` (an update's handler never waits for a group's send budget);
``bot/once.py`` asks ``current_update`` (an effect outside the database, noted before it).
Only the handling task itself counts: a job, or a task it started, is not the update's work.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
from collections.abc import Iterator


class Effects:
    __slots__ = ("lasting", "task", "update_id")

    def __init__(self, update_id: int) -> None:
        self.lasting = False
        self.update_id = update_id
        self.task = asyncio.current_task()  # the task handling the update


_WATCHED: contextvars.ContextVar[Effects | None] = contextvars.ContextVar(
    "pamoja_effects", default=None
)


@contextlib.contextmanager
def watched(update_id: int) -> Iterator[Effects]:
    """What the handling of this update, run inside this block, does lastingly."""
    effects = Effects(update_id)
    token = _WATCHED.set(effects)
    try:
        yield effects
    finally:
        _WATCHED.reset(token)


def handling_update() -> bool:
    """Whether the caller is the task handling an update (not a job, nor a task it started)."""
    return current_update() is not None


def current_update() -> int | None:
    """The id of the update the calling task is handling (None in a job, or a task it
    started: those are not the update's own work)."""
    effects = _WATCHED.get()
    if effects is None or effects.task is not asyncio.current_task():
        return None
    return effects.update_id


def noted() -> None:
    """Something lasting was done (a write, a Bot API call that changes something)."""
    effects = _WATCHED.get()
    if effects is not None:
        effects.lasting = True
