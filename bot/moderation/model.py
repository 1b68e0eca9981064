"""The statistical part of the solicitation scorer: a small logistic regression over hashed
features (:mod:`bot.moderation.features`), trained at build time and shipped with the package.

``solicitation_model.json`` is written by ``tools/train_solicitation.py`` from the labelled
sets in ``tests/data`` (the project's own set and the *dev* part of the independent set; never
the held-out part). It holds only non-zero weights by bucket, the decision threshold chosen
for precision, and the *gate*: word buckets whose weight is high enough that a message without
any of them (and without a link, contact, price or Telegram-parsed entity) is never scored by the
model at all, which keeps ordinary messages cheap and the pre-check sound.

Training is plain, deterministic stochastic gradient descent (fixed seed, fixed order, no
threads): the same data gives byte-for-byte the same file.
"""

from __future__ import annotations

import importlib.resources
import json
import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Final

from bot.moderation.features import Vector

__all__ = ["MODEL_FILE", "Model", "default", "sigmoid", "train"]

MODEL_FILE: Final = "solicitation_model.json"
FORMAT: Final = 1


def sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


@dataclass(frozen=True, slots=True)
class Model:
    weights: Mapping[int, float]
    threshold: float
    gate: frozenset[int]

    def margin(self, x: Vector, adjustment: Mapping[int, float] | None = None) -> float:
        weights = self.weights
        z = 0.0
        if adjustment:
            for index, value in x:
                z += (weights.get(index, 0.0) + adjustment.get(index, 0.0)) * value
        else:
            for index, value in x:
                z += weights.get(index, 0.0) * value
        return z

    def probability(self, x: Vector, adjustment: Mapping[int, float] | None = None) -> float:
        return sigmoid(self.margin(x, adjustment))

    def to_json(self) -> str:
        body: dict[str, Any] = {
            "format": FORMAT,
            "threshold": round(self.threshold, 4),
            "gate": sorted(self.gate),
            "weights": {str(k): round(v, 5) for k, v in sorted(self.weights.items())},
        }
        return json.dumps(body, sort_keys=True, separators=(",", ":")) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Model:
        body = json.loads(text)
        if body.get("format") != FORMAT:
            raise ValueError("unknown solicitation model format")
        return cls(
            weights={int(k): float(v) for k, v in body["weights"].items()},
            threshold=float(body["threshold"]),
            gate=frozenset(int(b) for b in body["gate"]),
        )


@lru_cache(maxsize=1)
def default() -> Model:
    """The shipped model (read once)."""
    resource = importlib.resources.files("bot.moderation") / MODEL_FILE
    return Model.from_json(resource.read_text(encoding="utf-8"))


# --- training (build time) -----------------------------------------------------------------------

EPOCHS: Final = 40
LEARNING_RATE: Final = 0.5
L2: Final = 1e-4
SEED: Final = 20250116
# Adverts are about a third of the data; a wrong flag costs more than a miss, so the negative
# class weighs a little more.
NEGATIVE_WEIGHT: Final = 1.5


def train(samples: Sequence[tuple[Vector, bool]], *, seed: int = SEED) -> dict[int, float]:
    """Logistic regression by SGD with L2; deterministic for given samples and seed."""
    weights: dict[int, float] = {}
    order = list(range(len(samples)))
    rng = random.Random(seed)
    for epoch in range(EPOCHS):
        rng.shuffle(order)
        rate = LEARNING_RATE / (1.0 + 0.1 * epoch)
        for position in order:
            x, label = samples[position]
            z = sum(weights.get(i, 0.0) * v for i, v in x)
            error = (1.0 if label else 0.0) - sigmoid(z)
            step = rate * error * (1.0 if label else NEGATIVE_WEIGHT)
            for i, v in x:
                w = weights.get(i, 0.0)
                weights[i] = w + step * v - rate * L2 * w
    return {i: w for i, w in weights.items() if abs(w) >= 1e-4}
