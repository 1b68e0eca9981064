"""Faults like Telegram's own, drawn at random for a share of the Bot API calls (a `FaultPlan`).

Each call of one of the plan's methods fails with probability `rate`, as one of:

* ``429`` — "Too Many Requests: retry after N" with ``retry_after`` N drawn from
  `retry_after` (seconds);
* ``500`` — "Internal Server Error" (nothing was done);
* ``502`` — "Bad Gateway" (nothing was done);
* ``slow`` — the call **is carried out** (the message is in the chat) but the answer comes
  `slow_seconds` late, after the client has given up waiting (a timeout on the client's side).

The draw is made from the plan's own seeded random generator, so a run is reproducible. The
plan counts what it injected (`injected`), and which message ids the slow answers carried
(`accepted_late`), so a test can tell a lost message from one Telegram accepted.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

SEND_METHODS = frozenset(
    {
        "sendMessage",
        "copyMessage",
        "sendPhoto",
        "sendDocument",
        "sendVoice",
        "sendVideo",
        "sendAudio",
        "sendSticker",
        "forwardMessage",
    }
)
KINDS = ("429", "500", "502", "slow")


@dataclass
class FaultPlan:
    rate: float = 0.3
    seed: int = 12
    methods: frozenset[str] = SEND_METHODS
    retry_after: tuple[int, int] = (1, 3)
    slow_seconds: float = 0.3
    weights: tuple[float, float, float, float] = (1.0, 1.0, 1.0, 1.0)
    injected: Counter[str] = field(default_factory=Counter)
    calls: int = 0
    active: bool = True
    _rng: random.Random = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)
        self.methods = frozenset(m.lower() for m in self.methods)

    def draw(self, method: str) -> str | None:
        """The fault this call meets, or None (it goes through)."""
        if not self.active or method.lower() not in self.methods:
            return None
        self.calls += 1
        if self._rng.random() >= self.rate:
            return None
        kind = self._rng.choices(KINDS, weights=self.weights)[0]
        self.injected[kind] += 1
        return kind

    def retry_seconds(self) -> int:
        low, high = self.retry_after
        return self._rng.randint(low, high)

    @property
    def total(self) -> int:
        return sum(self.injected.values())

    def summary(self) -> dict[str, int]:
        return {kind: self.injected.get(kind, 0) for kind in KINDS}


def plan(
    rate: float = 0.3,
    *,
    seed: int = 12,
    methods: Iterable[str] = SEND_METHODS,
    retry_after: tuple[int, int] = (1, 3),
    slow_seconds: float = 0.3,
) -> FaultPlan:
    return FaultPlan(
        rate=rate,
        seed=seed,
        methods=frozenset(methods),
        retry_after=retry_after,
        slow_seconds=slow_seconds,
    )
