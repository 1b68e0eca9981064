"""Rules text: parsing what an administrator wrote into numbered rules, and the defaults.

A rules text is one rule per line, ``N. Title — text`` (the number and the title are optional).
Lines that do not start with a number continue the rule above them when the text is numbered;
in a text without numbers every non-empty line is a rule. Rules are renumbered 1..n so they can
be referred to (``/remind 3``). Rendering escapes everything for HTML, so ``<``, ``&``, ``*`` and
``_`` in a rule are shown as written.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import cache

from bot.crisis import default_config_dir
from bot.ids import parse_id

MAX_CHARS = 3500
MAX_RULES = 40
_NUMBERED = re.compile(r"^\s*(\d{1,3})\s*[.)]\s*(.*)$")
_BULLET = re.compile(r"^\s*[-•*]\s+(.*)$")
_DASHES = (" — ", " – ", " - ")


@dataclass(frozen=True)
class Rule:
    number: int
    title: str
    text: str


class RulesTextError(ValueError):
    """The text cannot be used as rules; ``reason`` is ``empty``, ``too_long`` or ``too_many``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _split_title(body: str) -> tuple[str, str]:
    for dash in _DASHES:
        title, found, rest = body.partition(dash)
        if found and title.strip() and rest.strip() and len(title) <= 80:
            return title.strip(), rest.strip()
    return "", body.strip()


def parse_rules(text: str) -> list[Rule]:
    """The numbered rules in ``text`` (renumbered from 1). Empty list for an empty text."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    numbered = any(_NUMBERED.match(line) for line in lines)
    bodies: list[str] = []
    for line in lines:
        if not line.strip():
            continue
        match = _NUMBERED.match(line)
        if match:
            bodies.append(match.group(2).strip())
            continue
        bullet = _BULLET.match(line)
        if bullet and not numbered:
            bodies.append(bullet.group(1).strip())
        elif numbered and bodies:
            bodies[-1] = f"{bodies[-1]} {line.strip()}".strip()
        else:
            bodies.append(line.strip())
    rules: list[Rule] = []
    for body in bodies:
        if not body:
            continue
        title, rest = _split_title(body)
        rules.append(Rule(number=len(rules) + 1, title=title, text=rest))
    return rules


def normalise(text: str) -> str:
    """Check a new rules text and return it in the stored form (``N. Title — text`` lines)."""
    if len(text) > MAX_CHARS:
        raise RulesTextError("too_long")
    rules = parse_rules(text)
    if not rules:
        raise RulesTextError("empty")
    if len(rules) > MAX_RULES:
        raise RulesTextError("too_many")
    return "\n".join(plain_line(rule) for rule in rules)


def plain_line(rule: Rule) -> str:
    if rule.title:
        return f"{rule.number}. {rule.title} — {rule.text}"
    return f"{rule.number}. {rule.text}"


def html_line(rule: Rule) -> str:
    """One rule as HTML: the number and title in bold, every character of the text escaped."""
    text = html.escape(rule.text, quote=False)
    if rule.title:
        return f"<b>{rule.number}. {html.escape(rule.title, quote=False)}</b> — {text}"
    return f"<b>{rule.number}.</b> {text}"


def brief_line(rule: Rule, limit: int = 48) -> str:
    """One rule in brief, for a welcome that fits one phone screen: its title, else its text
    cut at a word (HTML-escaped)."""
    short = rule.title or rule.text
    if len(short) > limit:
        short = short[:limit].rsplit(" ", 1)[0].rstrip(",;:—-– ") + "…"
    return f"{rule.number}. {html.escape(short, quote=False)}"


def brief(rules: list[Rule], max_rules: int = 12) -> str:
    """The rules in brief, one short line each (at most ``max_rules``, then "…")."""
    lines = [brief_line(rule) for rule in rules[:max_rules]]
    if len(rules) > max_rules:
        lines.append("…")
    return "\n".join(lines)


def html_rules(rules: list[Rule]) -> str:
    return "\n".join(html_line(rule) for rule in rules)


def find(rules: list[Rule], number: int) -> Rule | None:
    return next((rule for rule in rules if rule.number == number), None)


def parse_rule_number(raw: str | None) -> int | None:
    """``/remind 3`` -> 3; anything that is not a plain positive number -> None."""
    if raw is None:
        return None
    cleaned = raw.strip().lstrip("#")
    number = parse_id(cleaned, signed=False) if len(cleaned) <= 4 else None
    return number if number is not None and number > 0 else None


@cache
def default_rules_text(lang: str) -> str:
    """The suggested default rules of a language (English when the language has none)."""
    folder = default_config_dir() / "rules"
    path = folder / f"{lang}.txt"
    if not path.is_file():
        path = folder / "en.txt"
    return path.read_text(encoding="utf-8")


def default_rules(lang: str) -> list[Rule]:
    return parse_rules(default_rules_text(lang))
