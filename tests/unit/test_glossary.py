"""The Kiswahili catalogue uses one term per key idea, as bot/locales/GLOSSARY.md fixes them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.i18n import Catalogues

GLOSSARY = Path(__file__).resolve().parents[2] / "bot" / "locales" / "GLOSSARY.md"


@dataclass(frozen=True)
class Term:
    idea: str
    english: re.Pattern[str]
    swahili: re.Pattern[str]
    avoid: tuple[str, ...]


def terms() -> list[Term]:
    found = []
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
        if len(cells) != 4 or not cells[1].startswith("`"):
            continue
        idea, english, swahili, avoid = cells
        found.append(
            Term(
                idea,
                re.compile(english.strip("`").replace("\\|", "|"), re.IGNORECASE),
                re.compile(swahili.strip("`").replace("\\|", "|"), re.IGNORECASE),
                tuple(word.strip() for word in avoid.split(",") if word.strip()),
            )
        )
    return found


TERMS = terms()


@pytest.fixture(scope="module")
def texts() -> Catalogues:
    return Catalogues.load()


def forms(texts: Catalogues, lang: str, key: str) -> tuple[str, ...]:
    return texts.plural_forms(lang, key) or (texts.raw(lang, key),)


def test_the_glossary_is_read() -> None:
    assert len(TERMS) >= 12
    assert {"lived experience", "support person", "administrator", "consent"} <= {
        term.idea for term in TERMS
    }


@pytest.mark.parametrize("term", TERMS, ids=lambda term: term.idea)
def test_each_idea_has_its_one_kiswahili_term(texts: Catalogues, term: Term) -> None:
    checked = 0
    for key in sorted(texts.keys("en")):
        for english, swahili in zip(forms(texts, "en", key), forms(texts, "sw", key), strict=True):
            if term.english.search(re.sub(r"\{\w+\}", "", english)):  # not placeholders
                checked += 1
                assert term.swahili.search(swahili), (term.idea, key, swahili)
    avoided = [
        (key, word)
        for key in sorted(texts.keys("sw"))
        for word in term.avoid
        for swahili in forms(texts, "sw", key)
        if re.search(rf"\b{re.escape(word)}\b", swahili, re.IGNORECASE)
    ]
    assert avoided == [], term.idea
    assert checked or term.avoid, term.idea  # a row that checks nothing is a mistake
