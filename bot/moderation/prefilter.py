"""A fast, sound pre-check before the solicitation scorer: "this message cannot be flagged".

The scorer (:func:`bot.moderation.solicitation.assess`) runs about two hundred regular
expressions per message. It only ever flags a message in which at least one *selling* signal
occurs (an offer, a fee, a payment route, a booking phrase): without one the score is capped
below the threshold. The pre-check is a :class:`bot.moderation.literals.LiteralGate` over the
selling patterns: the literal strings they need, worked out from the patterns themselves, so
the pre-check follows the scorer when its patterns change.

``may_flag(text)`` is therefore never False for a message the *rules* would flag; it is False
for nearly every ordinary message. The statistical model reads every message anyway (cheaply);
:mod:`bot.moderation.screening` runs the rules only when this pre-check or the model says the
message could be flagged, so an ordinary message costs one search of a combined pattern and a
sum over its words instead of ~200 regular-expression searches.
"""

from __future__ import annotations

import re
from functools import lru_cache

from bot.moderation import solicitation as scorer
from bot.moderation.literals import LiteralGate

SELLING_FAMILIES = (
    "_DM_OFFER",
    "_PROVIDER_SELF",
    "_PROVIDER_PROMO",
    "_FEE",
    "_RECRUIT",
    "_DISCOUNT",
    "_PAYMENT",
    "_BOOKING_LINK_HOST",
    "_BOOKING",
)


class Prefilter(LiteralGate):
    """The gate over the selling patterns: ``may_flag`` is cheap."""

    def may_flag(self, text: str) -> bool:
        return self.may_sell(normalise(text))

    # For a message already normalised: could a selling pattern match?
    may_sell = LiteralGate.may_match


def normalise(text: str) -> str:
    """As the scorer reads a message (lower case, NFKC, one space for any whitespace run)."""
    return scorer._normalise(text)


def selling_patterns() -> list[re.Pattern[str]]:
    found: list[re.Pattern[str]] = []
    for name in SELLING_FAMILIES:
        found.extend(getattr(scorer, name))
    return found


@lru_cache(maxsize=1)
def default() -> Prefilter:
    return Prefilter(selling_patterns())
