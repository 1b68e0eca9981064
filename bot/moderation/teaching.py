"""Teaching the solicitation scorer from the admins' answers, without keeping any text.

* An answer to a flag — "Exclude as solicitor" or "Warn" (selling), "It's fine" (not selling) —
  teaches from the hashed features the flag carried in its row (then cleared).
* ``/solicitor`` by reply teaches "selling" from the replied message, read in memory for its
  hashed features only.
* ``/flagging reset`` forgets everything this deployment learned.

The learned state (:class:`bot.moderation.learning.Learned`) is deployment data: bucket numbers
and weights, no person, no group, no text; it survives restarts (``solicitation_learning``).
"""

from __future__ import annotations

from bot.adapters.guards import Actor
from bot.context import App
from bot.moderation import audit, learning_service
from bot.moderation.features import MessageSignals
from bot.moderation.learning import decode_vector
from bot.moderation.solicitation import features_of
from bot.records.groups import Group
from bot.records.moderation import Report

__all__ = ["SELLING_ANSWERS", "learn_from_answer", "learn_from_solicitor", "reset_learning"]

# The answers to a flag that say "this is selling" (the others say it is not).
SELLING_ANSWERS = frozenset({"solicitor", "warn"})


async def learn_from_answer(app: App, found: Report, action: str) -> int:
    """An admin answered a flag: teach the scorer from the features the flag carried (then gone
    from the row). Returns how many buckets changed (0: nothing to learn from)."""
    if found.kind != "flag":
        return 0
    data = app.bot_data
    x = decode_vector(await data.store.moderation.take_features(found.id))
    if not x:
        return 0
    learned = await data.moderation.learned(data.store.learning)
    return await learning_service.teach(
        learned, data.store.learning, x, selling=action in SELLING_ANSWERS
    )


async def learn_from_solicitor(app: App, text: str, signals: MessageSignals | None) -> int:
    """``/solicitor`` by reply: the replied message is selling. Its text is read here, in
    memory, for its hashed features only."""
    x = features_of(text, signals)
    if not x:
        return 0
    data = app.bot_data
    learned = await data.moderation.learned(data.store.learning)
    return await learning_service.teach(learned, data.store.learning, x, selling=True)


async def reset_learning(app: App, group: Group, actor: Actor) -> int:
    """Forget everything this deployment's admins taught the scorer. Returns how many answers
    were forgotten."""
    data = app.bot_data
    learned = await data.moderation.learned(data.store.learning)
    answers = learned.answers
    await learning_service.reset(learned, data.store.learning)
    await audit.record(
        app,
        "mod.flagging_set",
        group=group,
        actor=actor,
        target_id=None,
        detail="reset",
    )
    return answers
