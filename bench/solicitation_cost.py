"""Per-message cost of solicitation flagging, as the observer handler pays it.

    python -m bench.solicitation_cost

Ordinary messages (bench.workload.LINES) pay only the pre-check; messages that pass it pay the
scorer (rules, and the model when it may speak). Prints microseconds per message; no assertion.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from bench.workload import LINES
from bot.moderation import prefilter
from bot.moderation.solicitation import assess

ADVERTS = (
    "I'm a licensed counsellor, DM me for sessions. KES 2000 per session, Till 000123",
    "Wasee nimeopen slots za therapy, 2k kwa session, ni-inbox",
    "Earn money while healing! Join our team, registration 1,500 only",
)


def per_message(fn: Callable[[str], object], texts: tuple[str, ...], rounds: int) -> float:
    start = time.perf_counter()
    for _ in range(rounds):
        for text in texts:
            fn(text)
    return (time.perf_counter() - start) / (rounds * len(texts)) * 1e6


def observer_path(text: str) -> object:
    if not prefilter.default().may_flag(text):
        return None
    return assess(text)


def main() -> None:
    check = prefilter.default()
    observer_path(ADVERTS[0])  # build the pre-check and load the model once
    passing = sum(check.may_flag(t) for t in LINES)
    print(f"ordinary messages passing the pre-check: {passing}/{len(LINES)}")
    print(f"ordinary message, observer path: {per_message(observer_path, LINES, 2000):.1f} µs")
    print(f"ordinary message, full assess:   {per_message(assess, LINES, 200):.1f} µs")
    print(f"advert, observer path:           {per_message(observer_path, ADVERTS, 500):.1f} µs")


if __name__ == "__main__":
    main()
