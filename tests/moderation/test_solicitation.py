"""Solicitation flagging: precision/recall on a labelled set, and the promises that matter most.

The labelled set (tests/data/solicitation_cases.tsv, columns ``label lang text tags``) is split
by a hash of each text into a *tuning* half (rules were adjusted while looking at its errors) and
a *held-out* half (never used to adjust rules), so the held-out numbers are the honest ones.
Run with ``-s`` to see them.
"""

from __future__ import annotations

import csv
import hashlib
import re
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.moderation import solicitation
from bot.moderation.solicitation import (
    DEFAULT_THRESHOLD,
    MITIGATION_CODES,
    REASON_CODES,
    SolicitationVerdict,
    assess,
)

CASES_PATH = Path(__file__).resolve().parents[1] / "data" / "solicitation_cases.tsv"

MIN_PRECISION = 0.95
MIN_RECALL = 0.85
# The held-out half is about 115 messages: one error moves precision by ~2.5 points.
MIN_HELD_OUT_PRECISION = 0.9
MIN_HELD_OUT_RECALL = 0.8


@dataclass(frozen=True)
class Case:
    label: str
    lang: str
    text: str
    tags: frozenset[str]

    @property
    def soliciting(self) -> bool:
        return self.label == "solicit"

    @property
    def split(self) -> str:
        first_byte = hashlib.sha256(self.text.encode()).digest()[0]
        return "tuning" if first_byte % 2 == 0 else "held_out"


def _load_cases() -> list[Case]:
    with CASES_PATH.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        assert reader.fieldnames == ["label", "lang", "text", "tags"]
        return [
            Case(
                label=row["label"],
                lang=row["lang"],
                text=row["text"],
                tags=frozenset(t for t in (row["tags"] or "").split(",") if t),
            )
            for row in reader
        ]


CASES = _load_cases()
DISTRESS = [c for c in CASES if "distress" in c.tags]


@dataclass(frozen=True)
class Metrics:
    precision: float
    recall: float
    n: int
    false_positives: tuple[str, ...]
    false_negatives: tuple[str, ...]


def _measure(cases: list[Case]) -> Metrics:
    tp = fp = fn = 0
    fps: list[str] = []
    fns: list[str] = []
    for case in cases:
        flagged = assess(case.text).flagged
        if flagged and case.soliciting:
            tp += 1
        elif flagged:
            fp += 1
            fps.append(case.text)
        elif case.soliciting:
            fn += 1
            fns.append(case.text)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return Metrics(precision, recall, len(cases), tuple(fps), tuple(fns))


def _report(name: str, metrics: Metrics) -> None:
    print(
        f"solicitation [{name}] precision={metrics.precision:.3f} "
        f"recall={metrics.recall:.3f} n={metrics.n}"
    )


def test_case_file_is_well_formed() -> None:
    assert len(CASES) >= 180
    assert {c.label for c in CASES} == {"solicit", "ok"}
    assert {c.lang for c in CASES} == {"en", "sw", "mixed"}
    assert len({c.text for c in CASES}) == len(CASES), "duplicate texts"
    share = sum(c.soliciting for c in CASES) / len(CASES)
    assert 0.25 <= share <= 0.4
    assert len(DISTRESS) >= 25
    assert all(not c.soliciting for c in DISTRESS)
    for split in ("tuning", "held_out"):
        part = [c for c in CASES if c.split == split]
        assert sum(c.soliciting for c in part) >= 20
        assert sum(not c.soliciting for c in part) >= 40


def test_precision_and_recall(capsys: pytest.CaptureFixture[str]) -> None:
    overall = _measure(CASES)
    tuning = _measure([c for c in CASES if c.split == "tuning"])
    held_out = _measure([c for c in CASES if c.split == "held_out"])
    with capsys.disabled():  # the figures show in every test run's output, CI's included
        print()
        _report("all", overall)
        _report("tuning", tuning)
        _report("held-out", held_out)
        for lang in ("en", "sw", "mixed"):
            _report(f"lang={lang}", _measure([c for c in CASES if c.lang == lang]))

    assert overall.precision >= MIN_PRECISION, overall.false_positives
    assert overall.recall >= MIN_RECALL, overall.false_negatives
    assert held_out.precision >= MIN_HELD_OUT_PRECISION, held_out.false_positives
    assert held_out.recall >= MIN_HELD_OUT_RECALL, held_out.false_negatives


@pytest.mark.parametrize("case", DISTRESS, ids=lambda c: c.text[:40])
def test_distress_is_never_flagged(case: Case) -> None:
    # Not even when the sender keeps posting the same number or the threshold is very low.
    for verdict in (
        assess(case.text),
        assess(case.text, repeated_contact=True),
        assess(case.text, repeated_contact=True, threshold=0.05),
    ):
        assert not verdict.flagged
        assert "distress" in verdict.mitigations


@pytest.mark.parametrize(
    "text",
    [
        "I want to die",
        "sitaki kuishi tena",
        "Nataka kujiua, nimechoka",
        "I'm hearing voices again and I'm scared",
        "I stopped my meds and I feel hopeless",
        "I'm so angry I could scream",
        "I've been crying all day",
        "I feel like a burden, I paid 5000 for meds this month. Call me 0700 000 901 please",
        "I am a counsellor and I feel suicidal. Please DM me, I need someone",
    ],
)
def test_more_distress_never_flagged(text: str) -> None:
    verdict = assess(text, repeated_contact=True, threshold=0.01)
    assert not verdict.flagged


@pytest.mark.parametrize(
    "text",
    [
        "Befrienders Kenya 0722 178 177 helped me",
        "call 1199 Red Cross if you need",
        "Mathari hospital helped me",
        "my psychiatrist changed my meds",
        "I paid 3000 for a session and it was worth it",
        "does anyone know an affordable counsellor in Kisumu?",
        "how much does therapy cost?",
        "Inbox me if you need someone to talk to ❤️",
        "Call me if you need anything dada, 0700 000 301",
        "We're collecting contributions for a member's hospital bill, Paybill 000999 acc Jane",
    ],
)
def test_brief_examples_are_not_flagged(text: str) -> None:
    assert not assess(text).flagged
    assert not assess(text, repeated_contact=True).flagged


@pytest.mark.parametrize(
    "text",
    [
        "DM me for sessions",
        "Ni counsellor, ni-DM for sessions",
        "KES 2000 per session, Lipa na M-Pesa Till No 000123",
        "Book an appointment at our wellness centre: calendly.com/example-care",
        "I am a licensed psychologist, contact me on 0700 000 902 for an appointment",
        "Piga simu kwa booking 0700 000 903, bei ni nafuu",
        "Karibu ofisini kwetu, bei ni 1000 kwa kikao",
        "Join my programme, enrol now, limited slots! Pay via Paybill 000456",
    ],
)
def test_brief_solicitation_examples_are_flagged(text: str) -> None:
    verdict = assess(text)
    assert verdict.flagged, verdict
    assert verdict.reasons


def test_verdict_holds_codes_never_text() -> None:
    canary = "Zanzibarqux"
    text = f"I am a licensed counsellor {canary}. DM me for sessions, Till 000777, 0700 000 904"
    verdict = assess(text, repeated_contact=True)
    assert verdict.flagged
    assert set(verdict.reasons) <= REASON_CODES
    assert set(verdict.mitigations) <= MITIGATION_CODES
    dumped = repr(verdict).lower()
    for fragment in (canary.lower(), "000777", "0700", "904", "licensed"):
        assert fragment not in dumped
    for code in (*REASON_CODES, *MITIGATION_CODES):
        assert code.replace("_", "").isalpha()


def test_all_dataset_reasons_are_known_codes() -> None:
    for case in CASES:
        verdict = assess(case.text)
        assert set(verdict.reasons) <= REASON_CODES
        assert set(verdict.mitigations) <= MITIGATION_CODES
        assert 0.0 <= verdict.score <= 1.0
        assert verdict.flagged == (verdict.score >= DEFAULT_THRESHOLD)


def test_reasons_are_strongest_first_and_stable() -> None:
    text = "I'm a certified therapist. Sessions KES 1500. Till No 000321. Book: calendly.com/x-y"
    first = assess(text)
    assert first == assess(text)
    assert first.reasons[0] in {"payment", "booking_link", "dm_offer"}


def test_threshold_and_repeated_contact() -> None:
    text = "Affordable counselling, whatsapp 0700 000 905"
    base = assess(text)
    repeated = assess(text, repeated_contact=True)
    assert repeated.score > base.score
    assert "repeated_contact" in repeated.reasons
    assert assess(text, threshold=0.0).flagged
    assert not assess("DM me for sessions", threshold=1.01).flagged


def test_repeated_contact_alone_does_not_flag() -> None:
    # A member sharing their own number again is how peers support each other.
    verdict = assess("Call me anytime 0700 000 906, I'm here", repeated_contact=True)
    assert not verdict.flagged


def test_public_numbers_can_be_configured() -> None:
    text = "Call our line 0700 000 907 any time, it's free"
    default = assess(text)
    configured = assess(text, public_numbers={"0700 000 907"})
    assert "contact_offer" in default.reasons
    assert "contact_offer" not in configured.reasons
    assert "helpline" in configured.mitigations


def test_empty_and_odd_input() -> None:
    for text in ("", "   ", "🙏🙏🙏", "\x00\x01", "0" * 50):
        verdict = assess(text)
        assert isinstance(verdict, SolicitationVerdict)
        assert not verdict.flagged


def test_long_and_pathological_input_is_fast() -> None:
    inputs = [
        "DM me for " + "sessions " * 2000,
        "a " * 20_000,
        "0700 " * 5000,
        "kes 1" + ",000" * 5000,
        ("www." + "a" * 60 + ".") * 300,
    ]
    start = time.perf_counter()
    for text in inputs:
        assess(text)
    assert time.perf_counter() - start < 2.0


def test_every_code_is_documented() -> None:
    documented = set(re.findall(r"``([a-z_]+)``", solicitation.__doc__ or ""))
    assert documented >= REASON_CODES | MITIGATION_CODES
