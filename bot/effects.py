"""Whether handling one update did something a second run would repeat.

An update Telegram may send again (after a crash, before its offset was confirmed) is skipped
if its id was recorded as carried out (``bot/once.py``). Recording costs a write, so it is
kept for the updates that need it: those whose handling wrote to the database or made a Bot
API call that changes something (a send, a ban, an answer to a button). An ordinary group
message from a member the bot knows does neither (it is screened in memory), so it costs no
write; were it handled again after a crash, nothing would happen twice.

The storage layer (every statement that is not a read) and the Bot API transport (every method
but the ``get…`` reads) note it here, for whichever update is being handled in their task. The
outbox asks ``handling_update``: an update's handler never waits for a group's send budget.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
from collections.abc import Iterator


class Effects:
    __slots__ = ("lasting", "task")

    def __init__(self) -> None:
        self.lasting = False
        self.task = asyncio.current_task()  # the task handling the update


_WATCHED: contextvars.ContextVar[Effects | None] = contextvars.ContextVar(
    "pamoja_effects", default=None
)


@contextlib.contextmanager
def watched() -> Iterator[Effects]:
    """What the code run inside this block (and the tasks it starts) does lastingly."""
    effects = Effects()
    token = _WATCHED.set(effects)
    try:
        yield effects
    finally:
        _WATCHED.reset(token)


def handling_update() -> bool:
    """Whether the caller is the task handling an update (not a job, nor a task it started)."""
    effects = _WATCHED.get()
    return effects is not None and effects.task is asyncio.current_task()


def noted() -> None:
    """Something lasting was done (a write, a Bot API call that changes something)."""
    effects = _WATCHED.get()
    if effects is not None:
        effects.lasting = True
