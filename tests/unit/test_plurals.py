"""Counted messages are gettext plurals: every language has each of its forms, the right one is
chosen per language, and no text falls back on "(s)" or a pair of ``_one`` keys."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot.i18n import Catalogues, placeholders

LOCALES = Path(__file__).resolve().parents[2] / "bot" / "locales"


@pytest.fixture(scope="module")
def texts() -> Catalogues:
    return Catalogues.load()


def counted_keys(texts: Catalogues) -> list[str]:
    return sorted(key for key in texts.keys("en") if texts.plural_forms("en", key))


def test_there_are_counted_messages_and_each_language_has_every_form(texts: Catalogues) -> None:
    keys = counted_keys(texts)
    assert {"moderation.unit_days", "moderation.report_admins", "circle.mydata_caption"} <= set(
        keys
    )
    for path in sorted(LOCALES.glob("*/LC_MESSAGES/*.po")):
        with path.open("rb") as handle:
            catalog = read_po(handle)
        wanted = catalog.num_plurals
        for message in catalog:
            if message.pluralizable and message.id:
                assert len(message.string) == wanted, (path.name, message.id)
                assert all(form.strip() for form in message.string), (path.name, message.id)
    for key in keys:
        for lang in texts.languages:
            forms = texts.plural_forms(lang, key)
            assert forms, (lang, key)
            english = placeholders(texts.plural_forms("en", key)[-1])
            assert all(placeholders(form) == english for form in forms), (lang, key)
            assert all("{count}" in form for form in forms), (lang, key)


@pytest.mark.parametrize(
    ("lang", "key", "count", "expected"),
    [
        ("en", "moderation.unit_days", 1, "1 day"),
        ("en", "moderation.unit_days", 2, "2 days"),
        ("en", "moderation.unit_hours", 0, "0 hours"),
        ("sw", "moderation.unit_days", 3, "siku 3"),
        ("en", "circle.mydata_caption", 1, "including 1 record of who saw what"),
        ("en", "circle.mydata_caption", 4, "including 4 records of who saw what"),
        ("sw", "circle.mydata_caption", 1, "kumbukumbu 1 ya nani"),
        ("sw", "circle.mydata_caption", 2, "kumbukumbu 2 za nani"),
    ],
)
def test_the_right_form_is_chosen_per_language(
    texts: Catalogues, lang: str, key: str, count: int, expected: str
) -> None:
    assert expected in texts.n(lang, key, count)


def test_kiswahili_nouns_agree_with_the_count(texts: Catalogues) -> None:
    one = texts.n("sw", "moderation.report_admins", 1, group="G", member="M", where="")
    many = texts.n("sw", "moderation.report_admins", 3, group="G", member="M", where="")
    assert "na mwanachama 1" in one and "na wanachama 3" in many
    assert "by 1 member." in texts.n(
        "en", "moderation.report_admins", 1, group="G", member="M", where=""
    )


def test_no_text_counts_with_brackets_or_one_keys(texts: Catalogues) -> None:
    for lang in texts.languages:
        for key in texts.keys(lang):
            assert not key.endswith("_one"), key
            for form in texts.plural_forms(lang, key) or (texts.raw(lang, key),):
                assert not re.search(r"\w\(s\)", form), (lang, key)
