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
* A **"selling"** answer pushes it up until the model would flag it; similar messages, which
  the model reads on every message, become more likely to be flagged.

Each bucket's adjustment is bounded (:data:`MAX_ADJUSTMENT`), so a few answers cannot make
the scorer flag or ignore everything.

The hashed features of a flagged message wait for the admins' answer in the flag's own row
(:mod:`bot.storage.moderation`), never the text; answering (or the flag expiring) clears them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

from bot.moderation.features import BUCKETS, Reading, Vector, scale
from bot.moderation.model import Model, WordSums, feature_count, sigmoid
from bot.moderation.model import default as default_model

__all__ = [
    "KNOWN_ORDINARY_MARGIN",
    "MAX_ADJUSTMENT",
    "Learned",
    "decode_vector",
    "encode_vector",
]

# One answer moves the message's probability past the threshold by this much margin (logit).
_TARGET_MARGIN: Final = 1.0
_MAX_STEPS: Final = 20
_RATE: Final = 1.0
MAX_ADJUSTMENT: Final = 3.0
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
    sums: WordSums = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.sums = WordSums(self.weights)

    @classmethod
    def restore(
        cls, weights: Mapping[int, float], answers: int, model: Model | None = None
    ) -> Learned:
        return cls(dict(weights), answers, model or default_model())

    def margin(self, x: Vector) -> float:
        """The learned part of a message's margin."""
        weights = self.weights
        return sum(weights.get(i, 0.0) * v for i, v in x)

    def margin_of(self, reading: Reading) -> float:
        """The learned part of a reading's margin, without building its vector."""
        if not self.weights:
            return 0.0
        return self.sums.total(reading) * scale(feature_count(reading))

    def known_ordinary(self, reading: Reading) -> bool:
        return bool(self.weights) and self.margin_of(reading) <= KNOWN_ORDINARY_MARGIN

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
        self.sums.clear()
        return changed

    def reset(self) -> None:
        self.weights.clear()
        self.answers = 0
        self.sums.clear()


# A vector as it waits in a flag's row: "bucket:value" pairs, values rounded. Bucket numbers and
# weights only: nothing of the text.
def encode_vector(x: Vector) -> str:
    return ",".join(f"{index}:{value:.5f}" for index, value in x)


def decode_vector(stored: str | None) -> Vector:
    """The vector back from a flag's row; anything malformed reads as "nothing to learn"."""
    if not stored:
        return ()
    found: list[tuple[int, float]] = []
    try:
        for pair in stored.split(","):
            index, value = pair.split(":", 1)
            bucket, weight = int(index), float(value)
            if not 0 <= bucket < BUCKETS or not math.isfinite(weight):
                return ()
            found.append((bucket, weight))
    except ValueError:
        return ()
    return tuple(sorted(found))
