"""Loading, teaching and resetting the solicitation scorer's learned adjustment.

The handlers call these; :class:`bot.moderation.learning.Learned` lives in ``bot_data`` and is
passed to :func:`bot.moderation.solicitation.assess` and to the pre-check.
"""

from __future__ import annotations

from bot.moderation.features import Vector
from bot.moderation.learning import Learned
from bot.moderation.model import Model
from bot.storage.learning import LearningRepo


async def load(repo: LearningRepo, model: Model | None = None) -> Learned:
    """At start-up: the shipped model plus what this deployment learned before."""
    weights, answers = await repo.load()
    return Learned.restore(weights, answers, model)


async def teach(learned: Learned, repo: LearningRepo, x: Vector, *, selling: bool) -> int:
    """One admin answer ("selling" / "not selling", or ``/solicitor`` by reply) about one
    message's hashed features. Returns how many buckets changed."""
    changed = learned.learn(x, selling)
    await repo.save(changed, learned.answers)
    return len(changed)


async def reset(learned: Learned, repo: LearningRepo) -> int:
    """Forget everything this deployment learned (in memory and stored)."""
    learned.reset()
    return await repo.reset()
