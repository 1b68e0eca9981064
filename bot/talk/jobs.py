"""The talk feature's timed work: a request's wait running out, a quiet conversation's end."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.records.scheduled import ScheduledAction
from bot.talk import relay, requests

if TYPE_CHECKING:
    from bot.context import App
    from bot.scheduler import ActionHandler


async def expire_job(app: App, action: ScheduledAction) -> None:
    """``talk.expire``: nobody accepted this round in time."""
    conversation_id = int(action.payload.get("conversation", 0))
    await requests.expire(app, conversation_id, int(action.payload.get("round", 1)))


async def idle_job(app: App, action: ScheduledAction) -> None:
    """``talk.idle``: close the conversation if it has gone quiet, else check again later."""
    await relay.close_if_idle(app, int(action.payload.get("conversation", 0)))


def jobs() -> dict[str, ActionHandler]:
    return {requests.EXPIRE: expire_job, relay.IDLE: idle_job}
