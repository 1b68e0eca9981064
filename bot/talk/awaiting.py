"""What the talk feature awaits from a person's next private words (``store.awaiting``).

The record survives a restart and expires (``TalkPolicy.prompt_hours``); its payload holds ids
and, for a written feedback draft, only the draft sealed by the talk repository.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.talk import FEATURE

if TYPE_CHECKING:
    from bot.context import BotData
    from bot.records.awaiting import Awaiting

# The optional line about the topic of a /talk request. Payload: group, kind, prompt.
TOPIC = f"{FEATURE}.topic"
# Anonymous feedback. Payload: group; once written, draft (sealed hex) until sent or cancelled.
FEEDBACK = f"{FEATURE}.feedback"
KINDS = (TOPIC, FEEDBACK)


def awaits_words(waiting: Awaiting | None) -> bool:
    """The bot waits for words (a topic, a feedback text), not for a press on a preview."""
    if waiting is None or waiting.kind not in KINDS:
        return False
    return not (waiting.kind == FEEDBACK and "draft" in waiting.payload)


async def busy(data: BotData, user_id: int) -> bool:
    """The person is in a one-to-one conversation (or waiting for one), or the talk feature
    awaits their words: their next private text is for one-to-one contact."""
    if awaits_words(await data.store.awaiting.current(user_id)):
        return True
    return await data.store.talk.active_for(user_id) is not None


async def forget(data: BotData, user_id: int) -> None:
    """Stop waiting for anything of this feature (a new /talk, /feedback or /end)."""
    for kind in KINDS:
        await data.store.awaiting.clear(user_id, kind)
