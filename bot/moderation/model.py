"""The statistical part of the solicitation scorer: a small logistic regression over hashed
features (:mod:`bot.moderation.features`), trained at build time and shipped with the package.

``solicitation_model.json`` is written by ``tools/train_solicitation.py`` from the labelled
sets in ``tests/data`` (the project's own set, the *dev* part of the independent set, and the
set written by the tuning side; never a held-out part). It holds only the non-zero weights by
bucket, the intercept and the decision threshold chosen for precision by cross-validation.

The model is consulted on **every** message, so reading it is cheap: a word's contribution (the
sum of its buckets' weights) is computed once and cached, and a message's margin is a sum over
its words and cues (:meth:`Model.margin_of`), equal to the margin over its hashed vector
(:meth:`Model.margin`), which is what learning uses.

Training is plain, deterministic stochastic gradient descent (fixed seed, fixed order, no
threads): the same data gives byte-for-byte the same file.
"""

from __future__ import annotations

import importlib.resources
import json
import math
import random
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any, Final

from bot.moderation.features import CUE_COUNT, Reading, Vector, cue_bucket, scale, token_buckets

__all__ = ["MODEL_FILE", "Model", "default", "sigmoid", "train"]

MODEL_FILE: Final = "solicitation_model.json"
FORMAT: Final = 2
_CACHE_LIMIT: Final = 50_000


def sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


class WordSums:
    """Bucket weights summed per word, cached (a word is looked up once, however often it is
    written). Cleared whenever the weights change."""

    __slots__ = ("_cache", "weights")

    def __init__(self, weights: Mapping[int, float]) -> None:
        self.weights = weights
        self._cache: dict[str, float] = {}

    def of(self, token: str) -> float:
        found = self._cache.get(token)
        if found is None:
            weights = self.weights
            found = sum(weights.get(index, 0.0) for index in token_buckets(token))
            if len(self._cache) >= _CACHE_LIMIT:
                self._cache.clear()
            self._cache[token] = found
        return found

    def cues(self, cues: Sequence[str]) -> float:
        weights = self.weights
        return CUE_COUNT * sum(weights.get(cue_bucket(cue), 0.0) for cue in cues)

    def total(self, reading: Reading) -> float:
        of = self.of
        return sum(of(token) for token in reading.tokens) + self.cues(reading.cues)

    def clear(self) -> None:
        self._cache.clear()


_COUNTS: dict[str, int] = {}


def feature_count(reading: Reading) -> int:
    """How many features the reading's vector counts (as :func:`features.vector` counts)."""
    count = CUE_COUNT * len(reading.cues)
    for token in reading.tokens:
        found = _COUNTS.get(token)
        if found is None:
            found = len(token_buckets(token))
            if len(_COUNTS) >= _CACHE_LIMIT:
                _COUNTS.clear()
            _COUNTS[token] = found
        count += found
    return count


class Model:
    __slots__ = ("bias", "sums", "threshold", "weights")

    def __init__(self, weights: Mapping[int, float], threshold: float, bias: float = 0.0) -> None:
        self.weights = weights
        self.threshold = threshold
        self.bias = bias
        self.sums = WordSums(weights)

    def margin(self, x: Vector, adjustment: Mapping[int, float] | None = None) -> float:
        weights = self.weights
        z = self.bias
        if adjustment:
            for index, value in x:
                z += (weights.get(index, 0.0) + adjustment.get(index, 0.0)) * value
        else:
            for index, value in x:
                z += weights.get(index, 0.0) * value
        return z

    def probability(self, x: Vector, adjustment: Mapping[int, float] | None = None) -> float:
        return sigmoid(self.margin(x, adjustment))

    def margin_of(self, reading: Reading, learned: WordSums | None = None) -> float:
        """The margin of a reading without building its vector (the cheap path)."""
        total = self.sums.total(reading)
        if learned is not None and learned.weights:
            total += learned.total(reading)
        return self.bias + total * scale(feature_count(reading))

    def to_json(self) -> str:
        body: dict[str, Any] = {
            "format": FORMAT,
            "threshold": round(self.threshold, 4),
            "bias": round(self.bias, 5),
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
            bias=float(body["bias"]),
        )


@lru_cache(maxsize=1)
def default() -> Model:
    """The shipped model (read once)."""
    resource = importlib.resources.files("bot.moderation") / MODEL_FILE
    return Model.from_json(resource.read_text(encoding="utf-8"))


# --- training (build time) -----------------------------------------------------------------------

EPOCHS: Final = 30
LEARNING_RATE: Final = 0.5
L2: Final = 1e-3  # chosen by cross-validation on the training data (recall at the shipped cut)
# The intercept learns more slowly than the features (it sees every sample).
BIAS_RATE: Final = 0.1
SEED: Final = 20250116
# Adverts are about a third of the data; a wrong flag costs more than a miss, so the negative
# class weighs a little more.
NEGATIVE_WEIGHT: Final = 1.5


def train(
    samples: Sequence[tuple[Vector, bool]], *, seed: int = SEED
) -> tuple[dict[int, float], float]:
    """Logistic regression by SGD with L2; deterministic for given samples and seed. Returns the
    weights and the intercept."""
    weights: dict[int, float] = {}
    bias = 0.0
    order = list(range(len(samples)))
    rng = random.Random(seed)
    for epoch in range(EPOCHS):
        rng.shuffle(order)
        rate = LEARNING_RATE / (1.0 + 0.1 * epoch)
        for position in order:
            x, label = samples[position]
            z = bias + sum(weights.get(i, 0.0) * v for i, v in x)
            error = (1.0 if label else 0.0) - sigmoid(z)
            step = rate * error * (1.0 if label else NEGATIVE_WEIGHT)
            bias += BIAS_RATE * step
            for i, v in x:
                w = weights.get(i, 0.0)
                weights[i] = w + step * v - rate * L2 * w
    return {i: w for i, w in weights.items() if abs(w) >= 1e-4}, bias
