"""Per-message cost of solicitation flagging, as the observer handler pays it.

    python -m bench.solicitation_cost

The observer path is what ``bot.moderation.flags.observe`` does for every ordinary group message
after the group's (cached) setting: one reading of the text (normalised once; words, contacts
and cues found once), the repeated-contact tracker on those contacts, then
:func:`bot.moderation.screening.screen` — the model's cached word sums and one search of the
combined selling pattern, and the rules only when either says the message could be flagged.
"Full assess" runs every rule on every message, for comparison. Prints microseconds per message
(medians of 5 rounds); no assertion.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from bench.workload import LINES
from bot.moderation.features import read
from bot.moderation.learning import Learned
from bot.moderation.repetition import ContactRepetitionTracker
from bot.moderation.screening import screen
from bot.moderation.solicitation import assess

ADVERTS = (
    "I'm a licensed counsellor, DM me for sessions. KES 2000 per session, Till 000123",
    "Wasee nimeopen slots za therapy, 2k kwa session, ni-inbox",
    "Earn money while healing! Join our team, registration 1,500 only",
)
ROUNDS = 5


def per_message(fn: Callable[[str], object], texts: tuple[str, ...], repeat: int) -> float:
    """Median over rounds of the mean cost per message, in microseconds."""
    timings = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for _ in range(repeat):
            for text in texts:
                fn(text)
        timings.append((time.perf_counter() - start) / (repeat * len(texts)) * 1e6)
    return statistics.median(timings)


def main() -> None:
    tracker = ContactRepetitionTracker()
    learned = Learned()
    sender = iter(range(10**9))

    def observer_path(text: str) -> object:
        reading = read(text)
        repeated = tracker.observe_contacts(-1001, next(sender) % 500, reading.contacts)
        return screen(reading, repeated_contact=repeated.repeated, learned=learned)

    observer_path(ADVERTS[0])  # build the pre-check and load the model once
    ruled = sum(screen(read(t)).score > 0 for t in LINES)  # a turned-away verdict scores 0.0
    print(f"ordinary messages reaching the rules: {ruled}/{len(LINES)}")
    print(f"ordinary message, observer path: {per_message(observer_path, LINES, 400):.1f} µs")
    away = tuple(t for t in LINES if screen(read(t)).score == 0.0)
    print(
        f"  of which turned away cheaply ({len(away)}): {per_message(observer_path, away, 400):.1f} µs"
    )
    print(f"ordinary message, full assess:   {per_message(assess, LINES, 40):.1f} µs")
    print(f"advert, observer path:           {per_message(observer_path, ADVERTS, 100):.1f} µs")


if __name__ == "__main__":
    main()
