"""Rules text: parsing, numbering, escaping, and the default rules in both languages."""

from __future__ import annotations

import pytest

from bot.rules.text import (
    MAX_CHARS,
    Rule,
    RulesTextError,
    default_rules,
    find,
    html_line,
    html_rules,
    normalise,
    parse_rule_number,
    parse_rules,
)


def test_numbered_lines_with_titles() -> None:
    rules = parse_rules("1. Keep it private — stays here\n2. No judgement — listen\n")
    assert rules == [
        Rule(1, "Keep it private", "stays here"),
        Rule(2, "No judgement", "listen"),
    ]


def test_renumbered_and_continuation_lines_join_the_rule_above() -> None:
    rules = parse_rules("3) First rule\n  more about it\n\n7. Second rule")
    assert [(r.number, r.text) for r in rules] == [
        (1, "First rule more about it"),
        (2, "Second rule"),
    ]


def test_unnumbered_lines_and_bullets_are_each_a_rule() -> None:
    rules = parse_rules("Be kind\n- Ask before advising\n• No selling")
    assert [r.text for r in rules] == ["Be kind", "Ask before advising", "No selling"]
    assert [r.number for r in rules] == [1, 2, 3]


def test_normalise_stores_plain_numbered_lines() -> None:
    assert normalise("Be kind\nNo selling - please") == "1. Be kind\n2. No selling — please"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("   \n\n", "empty"),
        ("x" * (MAX_CHARS + 1), "too_long"),
        ("\n".join(f"rule {i}" for i in range(41)), "too_many"),
    ],
)
def test_normalise_refuses_unusable_text(text: str, reason: str) -> None:
    with pytest.raises(RulesTextError) as caught:
        normalise(text)
    assert caught.value.reason == reason


def test_special_characters_are_escaped_for_html() -> None:
    rule = parse_rules("1. <b>Tags</b> & co — use *stars* and _underscores_ < 3")[0]
    line = html_line(rule)
    assert "&lt;b&gt;Tags&lt;/b&gt; &amp; co" in line
    assert "*stars* and _underscores_ &lt; 3" in line
    assert "<b>Tags</b>" not in line


def test_default_rules_cover_the_guidance_in_both_languages() -> None:
    for lang in ("en", "sw"):
        rules = default_rules(lang)
        assert [r.number for r in rules] == list(range(1, len(rules) + 1))
        assert len(rules) >= 8
        assert all(r.title and r.text for r in rules)
    english = html_rules(default_rules("en")).lower()
    for topic in (
        "private",
        "judgement",
        "share",
        "intrusive",
        "discrimination",
        "advice",
        "selling",
        "distress",
        "/talk",
    ):
        assert topic in english, topic


def test_unknown_language_falls_back_to_english() -> None:
    assert default_rules("fr") == default_rules("en")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("3", 3),
        ("#4", 4),
        (" 12 ", 12),
        ("0", None),
        ("-1", None),
        ("x", None),
        (None, None),
        ("99999", None),
        ("3.5", None),
    ],
)
def test_rule_numbers(raw: str | None, expected: int | None) -> None:
    assert parse_rule_number(raw) == expected


def test_find() -> None:
    rules = default_rules("en")
    assert find(rules, 3) == rules[2]
    assert find(rules, 99) is None
