"""The pre-check before the solicitation scorer: never hides a message the scorer would flag.

The rules' selling patterns are covered by the pre-check's combined pattern; the model reads
every message; :func:`bot.moderation.screening.screen` (the one pass the bot uses) gives the
same verdict as the full :func:`bot.moderation.solicitation.assess` on every labelled message."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from bot.moderation import model as statistical
from bot.moderation import prefilter
from bot.moderation import solicitation as scorer
from bot.moderation.features import MessageSignals, read
from bot.moderation.literals import LiteralGate
from bot.moderation.screening import screen, warm_up

DATA = Path(__file__).resolve().parents[1] / "data"
CASES = DATA / "solicitation_cases.tsv"
LABELLED = (CASES, DATA / "solicitation_eval.tsv", DATA / "solicitation_authored.tsv")
ORDINARY = (
    "Good morning everyone, how did you sleep?",
    "Habari za asubuhi wapendwa, mmeamkaje?",
    "I had a rough night, the voices were loud again but I'm still here",
    "Does anyone else feel tired after changing medication? Asking for myself",
    "My family still doesn't understand but I'm trying to explain",
    "I don't want to be here anymore, everything feels heavy",
    "Nimechoka sana leo, lakini nashukuru kwa kikundi hiki",
    "Befrienders Kenya 0722 178 177 helped me when I was low, just sharing",
)


def texts() -> list[str]:
    found: list[str] = []
    for path in LABELLED:
        with path.open(encoding="utf-8") as handle:
            reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
            found.extend(row["text"] for row in reader)
    return found


def test_the_scorer_only_flags_with_a_selling_signal() -> None:
    """The invariant the pre-check rests on (a change in the scorer must revisit it)."""
    assert scorer._CHANNEL_ONLY_CAP < scorer.DEFAULT_THRESHOLD
    assert {
        "dm_offer",
        "provider_self",
        "provider_promo",
        "fee",
        "recruit",
        "discount",
        "payment",
        "booking_link",
        "booking",
    } == set(scorer._SELLING)


def test_never_hides_a_selling_signal_or_a_flag_in_the_labelled_set() -> None:
    check = prefilter.default()
    patterns = prefilter.selling_patterns()
    for text in texts():
        source = prefilter.normalise(text)
        if any(p.search(source) for p in patterns):
            assert check.may_flag(text), text


def families() -> dict[str, tuple[re.Pattern[str], ...]]:
    """Every signal family of the scorer (a module-level tuple of compiled patterns)."""
    return {
        name: value
        for name, value in vars(scorer).items()
        if isinstance(value, tuple)
        and value
        and all(isinstance(item, re.Pattern) for item in value)
    }


def test_no_familys_literal_gate_hides_a_match_in_the_labelled_set() -> None:
    """Each family's joined pattern runs only behind its gate: the gate must let through every
    labelled message (and every ordinary one) that one of the family's patterns matches."""
    found = families()
    assert len(found) >= 15 and "_FEE" in found and "_DISTRESS" in found
    gates = {name: LiteralGate(family) for name, family in found.items()}
    gated = 0
    # Digits of other scripts: a pattern's \d matches them, the strings were read as 0-9.
    other_digits = ["piga ٠٧٢٢ 123 456", "earn ٥٠٠٠ daily from home", "buy ١ get ١ free"]
    for text in [*texts(), *ORDINARY, *other_digits]:
        source = prefilter.normalise(text)
        for name, family in found.items():
            if any(pattern.search(source) for pattern in family):
                assert scorer._any(family, source), (name, text)
            elif not gates[name].may_match(source):
                gated += 1
    assert gated > 0


def test_the_one_pass_gives_the_full_scorers_verdict_on_every_labelled_message() -> None:
    signals = MessageSignals(entities=frozenset({"url"}), url_buttons=1)
    turned_away = 0
    for text in texts():
        for given in (None, signals):
            for repeated in (False, True):
                full = scorer.assess(text, signals=given, repeated_contact=repeated)
                fast = screen(read(text, given), repeated_contact=repeated)
                assert fast.flagged == full.flagged, text
                turned_away += fast.score == 0.0 and not fast.reasons
    assert turned_away > 0


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_messages_skip_the_scorer(text: str) -> None:
    assert not prefilter.default().may_flag(text)
    assert not scorer.assess(text).flagged
    fast = screen(read(text))
    assert not fast.flagged and fast.score == 0.0 and fast.probability is not None


@pytest.mark.parametrize(
    ("pattern", "matching", "other"),
    [
        (r"\btill\s*(?:no\.?|number)?\s*\d", "pay till no 12345", "i still feel it"),
        (r"\b(?:book|a session) with me\b", "a session with me today", "sessions are hard"),
        (r"calendly\.com", "see calendly.com/x", "calendar"),
        (r"\b\d{1,2} ?am ?- ?\d{1,2} ?pm\b", "open 8 am - 5pm", "at 8 in the morning"),
        (r"\bsessions? (?:at|for) (?:kes|ksh)\s?\d", "sessions at ksh 500", "sessions help"),
    ],
)
def test_required_strings_are_sound(pattern: str, matching: str, other: str) -> None:
    compiled = re.compile(pattern)
    check = prefilter.Prefilter([compiled])
    assert compiled.search(matching) and check.may_flag(matching)
    assert not compiled.search(other)
    assert not check.may_flag(other) or check.run_always


def test_a_price_in_an_ordinary_message_does_not_wake_the_rules() -> None:
    """A fee word ("500 bob") lets the selling pre-check through, but the model puts the
    message below the rules' floor: the rules could not flag it, so they are not run."""
    text = "I paid 500 bob for transport to the clinic, it's so expensive now"
    assert prefilter.default().may_flag(text)
    fast = screen(read(text))
    assert fast.probability is not None and fast.probability < scorer.RULE_FLOOR
    assert not fast.flagged and fast.score == 0.0 and not fast.reasons
    assert not scorer.assess(text).flagged


def test_warm_up_builds_the_pre_check_and_the_model_once() -> None:
    """At start-up (``bot.app.on_startup``): what the first advert would otherwise wait for."""
    prefilter.default.cache_clear()
    statistical.default.cache_clear()
    warm_up()
    assert prefilter.default.cache_info().currsize == 1
    assert statistical.default.cache_info().currsize == 1
    warm_up()  # again: nothing is built twice
    assert prefilter.default.cache_info().misses == 1
