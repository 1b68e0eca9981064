"""What this deployment's admins taught the solicitation scorer, kept as hashed weights only.

Each admin answer to a flag ("this is selling" / "not selling") and each ``/solicitor`` by reply
is one step of online logistic regression on top of the shipped model
(:mod:`bot.moderation.model`), over the hashed features of that one message
(:func:`bot.moderation.features.vector`). What is kept is a map *bucket → weight adjustment*
and a count of answers: no text, no person, no group, no time. Many words share each bucket,
so the message cannot be read back from it.

* A **"not selling"** answer pushes the message's margin down until the model alone would no
  longer flag it (and marks similar messages as known-ordinary to this deployment, which
  :func:`bot.moderation.solicitation.assess` then lets overrule the rules too). Similar
  messages, which share most buckets, become less likely to be flagged.
* A **"selling"** answer pushes it up until the model would flag it, and its strong words
  join the pre-check's gate so that similar messages are scored at all.

Each bucket's adjustment is bounded (:data:`MAX_ADJUSTMENT`), so a few answers cannot make
the scorer flag or ignore everything.

:class:`PendingVectors` holds, in memory only, the feature vector of each message the bot
flagged until an admin answers (the text is never kept; after a restart an answer simply
teaches nothing).
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Final

from bot.moderation.features import Vector
from bot.moderation.model import Model, sigmoid
from bot.moderation.model import default as default_model

__all__ = [
    "GATE_WEIGHT",
    "KNOWN_ORDINARY_MARGIN",
    "MAX_ADJUSTMENT",
    "Learned",
    "PendingVectors",
]

# One answer moves the message's probability past the threshold by this much margin (logit).
_TARGET_MARGIN: Final = 1.0
_MAX_STEPS: Final = 20
_RATE: Final = 1.0
MAX_ADJUSTMENT: Final = 3.0
# A word bucket whose learned adjustment reaches this lets a message through the pre-check.
GATE_WEIGHT: Final = 0.5
# The learned part of a message's margin at or below this: admins here said similar messages
# were not selling; the scorer then does not flag on rules alone either.
KNOWN_ORDINARY_MARGIN: Final = -1.0


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


@dataclass
class Learned:
    """The per-deployment adjustment. Mutable; one instance per running bot."""

    weights: dict[int, float] = field(default_factory=dict)
    answers: int = 0
    model: Model = field(default_factory=default_model)

    @classmethod
    def restore(
        cls, weights: Mapping[int, float], answers: int, model: Model | None = None
    ) -> Learned:
        return cls(dict(weights), answers, model or default_model())

    @property
    def gate(self) -> frozenset[int]:
        return frozenset(b for b, w in self.weights.items() if w >= GATE_WEIGHT)

    def margin(self, x: Vector) -> float:
        """The learned part of a message's margin."""
        weights = self.weights
        return sum(weights.get(i, 0.0) * v for i, v in x)

    def known_ordinary(self, x: Vector) -> bool:
        return bool(self.weights) and self.margin(x) <= KNOWN_ORDINARY_MARGIN

    def learn(self, x: Vector, selling: bool) -> dict[int, float]:
        """One admin answer about one message. Returns the buckets that changed (new values;
        0.0 means "delete") for the store to persist."""
        self.answers += 1
        if not x:
            return {}
        threshold = _logit(self.model.threshold)
        target = threshold + _TARGET_MARGIN if selling else threshold - _TARGET_MARGIN
        changed: dict[int, float] = {}
        for _ in range(_MAX_STEPS):
            z = self.model.margin(x, self.weights)
            if (selling and z >= target) or (not selling and z <= target):
                break
            error = (1.0 if selling else 0.0) - sigmoid(z)
            # At least a fixed push, so that a confident wrong model still moves.
            step = _RATE * (error if abs(error) >= 0.25 else (0.25 if selling else -0.25))
            for i, v in x:
                w = self.weights.get(i, 0.0) + step * v
                w = max(-MAX_ADJUSTMENT, min(MAX_ADJUSTMENT, w))
                self.weights[i] = w
                changed[i] = w
        for i, w in changed.items():
            if abs(w) < 1e-6:
                self.weights.pop(i, None)
                changed[i] = 0.0
        return changed

    def reset(self) -> None:
        self.weights.clear()
        self.answers = 0


class PendingVectors:
    """Feature vectors of flagged messages awaiting an admin's answer, in memory, bounded."""

    def __init__(self, capacity: int = 500) -> None:
        self._capacity = capacity
        self._items: OrderedDict[tuple[int, int], Vector] = OrderedDict()

    def keep(self, chat_id: int, message_id: int, x: Vector) -> None:
        key = (chat_id, message_id)
        self._items[key] = x
        self._items.move_to_end(key)
        while len(self._items) > self._capacity:
            self._items.popitem(last=False)

    def take(self, chat_id: int, message_id: int) -> Vector | None:
        return self._items.pop((chat_id, message_id), None)

    def forget_chat(self, chat_ids: Iterable[int]) -> None:
        wanted = set(chat_ids)
        for key in [k for k in self._items if k[0] in wanted]:
            del self._items[key]

    def __len__(self) -> int:
        return len(self._items)
