"""The catalogues: complete in every language, consistent placeholders, every used key present."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.i18n import Catalogues, MissingTextError, Safe, pick_language, placeholders

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def texts() -> Catalogues:
    return Catalogues.load()


def test_both_languages_load(texts: Catalogues) -> None:
    assert texts.languages == ("en", "sw")


def test_every_english_message_has_a_kiswahili_translation(texts: Catalogues) -> None:
    missing = sorted(texts.keys("en") - texts.keys("sw"))
    assert missing == [], f"no Kiswahili for: {missing}"
    empty = sorted(key for key in texts.keys("sw") if not texts.raw("sw", key).strip())
    assert empty == []


def test_placeholders_match_between_languages(texts: Catalogues) -> None:
    for key in texts.keys("en"):
        assert placeholders(texts.raw("en", key)) == placeholders(texts.raw("sw", key)), key


def _keys_used_in_code() -> set[str]:
    pattern = re.compile(r"""["']((?:[a-z0-9_]+\.)+[a-z0-9_]+)["']""")
    prefixes = {key.split(".", 1)[0] for key in Catalogues.load().keys("en")}
    used: set[str] = set()
    for path in (ROOT / "bot").rglob("*.py"):
        if "emulator" in path.parts:
            continue
        for match in pattern.finditer(path.read_text(encoding="utf-8")):
            key = match.group(1)
            if key.split(".", 1)[0] in prefixes and not key.endswith((".py", ".po")):
                used.add(key)
    return used


def test_every_key_used_in_the_code_is_in_the_catalogue(texts: Catalogues) -> None:
    unknown = sorted(key for key in _keys_used_in_code() if not texts.has(key))
    assert unknown == []


def test_values_are_escaped_but_safe_fragments_are_not(texts: Catalogues) -> None:
    text = texts.t("en", "start.welcome", name="<b>Juma & co</b>")
    assert "&lt;b&gt;Juma &amp; co&lt;/b&gt;" in text
    assert "<b>x</b>" in texts.t("en", "setup.missing", reasons=Safe("<b>x</b>"))


def test_unknown_key_raises(texts: Catalogues) -> None:
    with pytest.raises(MissingTextError):
        texts.t("en", "no.such.key")


@pytest.mark.parametrize(
    ("chosen", "telegram", "expected"),
    [("sw", "en", "sw"), (None, "sw-KE", "sw"), (None, "fr", "en"), (None, None, "en")],
)
def test_pick_language(chosen: str | None, telegram: str | None, expected: str) -> None:
    assert pick_language(chosen, telegram) == expected


def test_words_are_person_first(texts: Catalogues) -> None:
    banned = ("patient", "suicide watch", "mentally ill", "lunatic", "kichaa", "wagonjwa wa akili")
    for lang in texts.languages:
        for key in texts.keys(lang):
            lowered = texts.raw(lang, key).lower()
            assert not any(word in lowered for word in banned), (lang, key)


def test_moments_use_the_readers_language_and_zone() -> None:
    from zoneinfo import ZoneInfo

    from bot.i18n import format_moment

    epoch = 1_777_816_920  # 2026-05-03 14:02 UTC
    nairobi = ZoneInfo("Africa/Nairobi")
    assert format_moment(epoch, "en", nairobi) == "3 May 2026, 17:02"
    assert format_moment(epoch, "sw", nairobi) == "3 Mei 2026, 17:02"
    assert format_moment(epoch, "sw", nairobi, "time") == "17:02"
