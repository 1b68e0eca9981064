"""One pass over a group message for everything moderation needs (issue 13 item 4).

:func:`screen` takes a :class:`bot.moderation.features.Reading` (the message normalised once,
its words, contacts and structure cues found once) and decides whether to hold it up to the
admins, cheapest test first:

1. the statistical model's probability, a sum over the message's words (each word's weight
   is cached): below :data:`bot.moderation.solicitation.RULE_FLOOR` the rules cannot flag,
   and below :func:`bot.moderation.solicitation.lowest_model_flag` the model cannot either,
   so a message below both is turned away at once (nearly every ordinary message);
2. otherwise one search of the rules' combined selling pattern
   (:mod:`bot.moderation.prefilter`): without a selling pattern the rules cannot reach the
   threshold, so below ``lowest_model_flag`` the message is turned away;
3. only if the model could flag, or the rules could: the ~200 patterns of the rules
   (:func:`bot.moderation.solicitation.assess_reading`).

Whether a message is flagged is the same as :func:`bot.moderation.solicitation.assess` would
answer (each rejection is sound).
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.moderation import model as statistical
from bot.moderation import prefilter
from bot.moderation.features import Reading, read
from bot.moderation.learning import Learned
from bot.moderation.repetition import KENYAN_PUBLIC_HELPLINES
from bot.moderation.solicitation import (
    RULE_FLOOR,
    SolicitationVerdict,
    assess_reading,
    lowest_model_flag,
)

__all__ = ["screen", "warm_up"]

# Touches every family of the rules, so that all of them are built.
_WARM_UP_TEXT = (
    "Counselling sessions, only KSh 1500 per session, 20% off. DM me on WhatsApp 0712 345 678 "
    "or book: calendly.com/coach, pay till 123456. Join my team and earn!"
)


def screen(
    reading: Reading,
    *,
    repeated_contact: bool = False,
    learned: Learned | None = None,
    model: statistical.Model | None = None,
    public_numbers: Iterable[str] = KENYAN_PUBLIC_HELPLINES,
) -> SolicitationVerdict:
    """The verdict for one message at the default threshold, turning ordinary messages away
    before the rules run."""
    shipped = model or statistical.default()
    probability = statistical.sigmoid(
        shipped.margin_of(reading, learned.sums if learned is not None else None)
    )
    lowest = lowest_model_flag(shipped.threshold, repeated_contact=repeated_contact)
    if probability < min(lowest, RULE_FLOOR) or (
        probability < lowest and not prefilter.default().may_sell(reading.source)
    ):
        return SolicitationVerdict(
            score=0.0, flagged=False, reasons=(), probability=round(probability, 4)
        )
    return assess_reading(
        reading,
        repeated_contact=repeated_contact,
        learned=learned,
        model=shipped,
        probability=probability,
        public_numbers=public_numbers,
    )


def warm_up() -> None:
    """Build, once per process, what screening otherwise builds on first use (the model, the
    pre-checks, the rules' ~200 patterns): about 0.3 s that would otherwise fall on the first
    message that could be an advert, while every chat waits."""
    reading = read(_WARM_UP_TEXT)
    prefilter.default().may_sell(reading.source)
    assess_reading(reading, repeated_contact=True)
