"""Which literal strings a regular expression needs: a sound, cheap "cannot match" test.

Each pattern needs at least one of a few literal strings to be present for it to match at all.
Those strings are worked out once, from the patterns themselves (their parsed form, read with
the standard library's own parser), so the test follows the patterns when they change; patterns
for which no such strings can be found are simply run as they are.

A :class:`LiteralGate` built over some patterns answers ``may_match(text)``: never False for a
text one of the patterns matches, False for nearly every text none of them could. It serves the
selling pre-check (:mod:`bot.moderation.prefilter`) and each signal family of the scorer
(:mod:`bot.moderation.solicitation`), so a family's joined pattern runs only on messages that
hold one of its strings.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable, Sequence
from typing import Any

_MAX_STRINGS = 2000  # cap on the alternatives one part of a pattern may expand to
_MIN_USEFUL = 3  # literals shorter than this are too common to be worth it
_MAX_PER_PATTERN = 300  # a pattern needing more strings than this is run as it is

_DIGITS = frozenset("0123456789")
_BOUNDARY = "\x00"  # a word boundary (\b) inside a required string

Strings = frozenset[str]


# The standard library's own regular-expression parser (used once, when the pre-check is built).
_PARSER: Any = importlib.import_module("re._parser")
_CONSTANTS: Any = importlib.import_module("re._constants")


def _parse(pattern: str) -> Any:
    return _PARSER.parse(pattern)


def _c() -> Any:
    return _CONSTANTS


def _class_chars(items: Sequence[Any]) -> Strings | None:
    const = _c()
    chars: set[str] = set()
    for op, value in items:
        if op is const.LITERAL:
            chars.add(chr(value))
        elif op is const.RANGE:
            chars |= {chr(code) for code in range(value[0], value[1] + 1)}
        elif op is const.CATEGORY and value is const.CATEGORY_DIGIT:
            chars |= _DIGITS
        elif op is const.CATEGORY and value is const.CATEGORY_SPACE:
            chars.add(" ")  # the scorer collapses every run of whitespace into one space
        else:
            return None
    return frozenset(chars) if chars and len(chars) <= 64 else None


def _cross(left: Strings, right: Strings) -> Strings | None:
    if len(left) * len(right) > _MAX_STRINGS:
        return None
    return frozenset(a + b for a in left for b in right)


# Everyday words: a candidate made of these would let almost every message through.
_COMMON = frozenset(
    [
        "a",
        "an",
        "at",
        "by",
        "for",
        "from",
        "i",
        "im",
        "in",
        "is",
        "it",
        "me",
        "my",
        "no",
        "of",
        "on",
        "or",
        "so",
        "the",
        "to",
        "us",
        "we",
        "you",
        "ni",
        "na",
        "kwa",
        "ya",
        "za",
        "wa",
        "tu",
        "la",
        "only",
        "just",
        "per",
        "with",
        "and",
        "are",
        "am",
        "can",
    ]
)


def _key(candidate: Strings) -> tuple[int, int, int]:
    plain = [text.replace(_BOUNDARY, "") for text in candidate]
    common = any(text.strip(" ,.") in _COMMON for text in plain)
    bounded = sum(1 for text in candidate if _BOUNDARY in text) * 2 >= len(candidate)
    length = min(min(map(len, plain)), 8) + (2 if bounded else 0)
    return (0 if common else 1, length, -len(candidate))


def _best(candidates: Iterable[Strings]) -> Strings | None:
    """The most selective candidate: no everyday words, longer strings, fewer of them."""
    best: Strings | None = None
    for candidate in candidates:
        if not candidate or any(not text.replace(_BOUNDARY, "") for text in candidate):
            continue
        if best is None or _key(candidate) > _key(best):
            best = candidate
    return best


def _analyse(items: Sequence[Any]) -> tuple[Strings | None, Strings | None]:
    """For a sequence of parsed elements: (exact, required).

    ``exact``: every string the sequence can match (None if unknown or too many).
    ``required``: strings of which at least one occurs in any match (None if unknown).
    """
    const = _c()
    exact: Strings | None = frozenset({""})
    run: Strings | None = frozenset({""})
    candidates: list[Strings] = []

    def close_run() -> None:
        nonlocal run
        if run is not None and any(text.replace(_BOUNDARY, "") for text in run):
            candidates.append(run)
        run = frozenset({""})

    for op, value in items:
        element_exact: Strings | None
        element_required: Strings | None
        if op is const.LITERAL:
            element_exact = frozenset({chr(value)})
            element_required = element_exact
        elif op is const.IN:
            element_exact = _class_chars(value)
            element_required = element_exact
        elif op is const.CATEGORY and value is const.CATEGORY_DIGIT:
            element_exact = _DIGITS
            element_required = element_exact
        elif op is const.CATEGORY and value is const.CATEGORY_SPACE:
            element_exact = frozenset({" "})
            element_required = element_exact
        elif op is const.AT and value is const.AT_BOUNDARY:
            element_exact = frozenset({_BOUNDARY})  # kept: "till" must start a word
            element_required = None
        elif op is const.AT:
            continue  # other zero-width checks (^, $, \B) are simply left out
        elif op is const.SUBPATTERN:
            if value[1] & re.IGNORECASE:
                element_exact, element_required = None, None  # case-blind: no literals
            else:
                element_exact, element_required = _analyse(list(value[-1]))
        elif op is const.BRANCH:
            results = [_analyse(list(branch)) for branch in value[1]]
            exacts = [e for e, _ in results if e is not None]
            requireds = [r for _, r in results if r is not None]
            element_exact = (
                frozenset[str]().union(*exacts) if len(exacts) == len(results) else None
            )
            if element_exact is not None and len(element_exact) > _MAX_STRINGS:
                element_exact = None
            element_required = (
                frozenset[str]().union(*requireds) if len(requireds) == len(results) else None
            )
        elif op in (const.MAX_REPEAT, const.MIN_REPEAT, const.POSSESSIVE_REPEAT):
            low, high, sub = value
            inner_exact, inner_required = _analyse(list(sub))
            element_required = inner_required if low >= 1 else None
            element_exact = None
            if inner_exact is not None and high <= 6:
                total: Strings | None = frozenset({""}) if low == 0 else None
                power: Strings | None = frozenset({""})
                for count in range(1, high + 1):
                    power = _cross(power, inner_exact) if power is not None else None
                    if power is None:
                        total = None
                        break
                    if count >= low:
                        total = power if total is None else frozenset(total | power)
                element_exact = total
        else:
            element_exact, element_required = None, None

        if element_exact is not None and run is not None:
            crossed = _cross(run, element_exact)
            if crossed is None:
                close_run()
                run = element_exact
            else:
                run = crossed
        else:
            close_run()
            if element_required is not None:
                candidates.append(element_required)
        exact = _cross(exact, element_exact) if exact is not None and element_exact else None
    close_run()
    return exact, _best(candidates)


class LiteralGate:
    """Built once from some patterns; ``may_match`` is cheap."""

    def __init__(self, patterns: Iterable[re.Pattern[str]]) -> None:
        literals: set[str] = set()
        run_always: list[re.Pattern[str]] = []
        for pattern in patterns:
            required = None
            if not pattern.flags & re.IGNORECASE:
                _, required = _analyse(list(_parse(pattern.pattern)))
            if (
                required is None
                or min(_useful_length(text) for text in required) < _MIN_USEFUL
                or len(required) > _MAX_PER_PATTERN
                or _key(required)[0] == 0
            ):
                run_always.append(pattern)
            else:
                literals |= required
        self.literals: frozenset[str] = frozenset(_weaken(text) for text in literals)
        self.run_always: tuple[re.Pattern[str], ...] = tuple(run_always)
        # One search per kind of string, cheapest first: strings that start a word (searched
        # only at word starts), strings that need a digit (only when the message has one), the
        # rest; each a regular expression shaped as a trie. Patterns run as they are are joined
        # into one alternation (those that need a digit into another).
        bounded = [t[1:] for t in self.literals if t.startswith(_BOUNDARY)]
        others = [t for t in self.literals if not t.startswith(_BOUNDARY)]
        with_digit = [t for t in others if _DIGITS & set(t)]
        rest = [t for t in others if not _DIGITS & set(t)]
        self._searches: tuple[re.Pattern[str], ...] = tuple(
            re.compile(pattern)
            for pattern in (
                r"\b(?:" + _trie_pattern(bounded) + ")" if bounded else "",
                _trie_pattern(rest) if rest else "",
                _joined(p for p in run_always if not _requires_digit(p)),
            )
            if pattern
        )
        self._digit_searches: tuple[re.Pattern[str], ...] = tuple(
            re.compile(pattern)
            for pattern in (
                _trie_pattern(with_digit) if with_digit else "",
                _joined(p for p in run_always if _requires_digit(p)),
            )
            if pattern
        )

    def may_match(self, source: str) -> bool:
        """For a message already normalised: could one of the patterns match?

        The strings are worked out with ``\\d`` read as 0-9; a pattern's ``\\d`` also
        matches other scripts' digits (٠٧٢٢), so a text holding one is let through."""
        if not source.isascii() and _OTHER_DIGIT.search(source):
            return True
        for search in self._searches:
            if search.search(source):
                return True
        if self._digit_searches and _ANY_DIGIT.search(source):
            return any(search.search(source) for search in self._digit_searches)
        return False


_ANY_DIGIT = re.compile(r"\d")
_OTHER_DIGIT = re.compile(r"(?![0-9])\d")  # a digit of another script than 0-9


def _useful_length(text: str) -> int:
    """How selective a required string is: its characters other than digits, spaces and word
    boundaries (``"2pm"`` is found in every message that names a time)."""
    return sum(1 for ch in text if ch not in _DIGITS and ch not in (" ", _BOUNDARY))


def _weaken(text: str) -> str:
    """A string that starts with a space followed by a letter or digit: it is enough that the
    rest starts a word (a weaker, so still sound, requirement that can be searched faster)."""
    if len(text) > 1 and text[0] == " " and text[1].isalnum():
        return _BOUNDARY + text[1:]
    return text


def _joined(patterns: Iterable[re.Pattern[str]]) -> str:
    return "|".join(f"(?:{p.pattern})" for p in patterns)


def _requires_digit(pattern: re.Pattern[str]) -> bool:
    """Whether every match of ``pattern`` holds a digit (read from its parsed form)."""
    return _items_require_digit(list(_parse(pattern.pattern)))


def _items_require_digit(items: Sequence[Any]) -> bool:
    const = _c()
    for op, value in items:
        if op is const.LITERAL and chr(value) in _DIGITS:
            return True
        if op is const.CATEGORY and value is const.CATEGORY_DIGIT:
            return True
        if op is const.IN:
            chars = _class_chars(value)
            if chars is not None and chars <= _DIGITS:
                return True
        if op is const.SUBPATTERN and _items_require_digit(list(value[-1])):
            return True
        if op is const.BRANCH and all(_items_require_digit(list(b)) for b in value[1]):
            return True
        if (
            op in (const.MAX_REPEAT, const.MIN_REPEAT, const.POSSESSIVE_REPEAT)
            and value[0] >= 1
            and _items_require_digit(list(value[2]))
        ):
            return True
    return False


def _trie_pattern(strings: Iterable[str]) -> str:
    """A regular expression matching exactly these strings, with shared prefixes factored."""
    trie: dict[str, Any] = {}
    for text in strings:
        node = trie
        for char in text:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        if "" in node:
            return ""  # a shorter string ends here: it suffices to have matched it
        branches = [
            (r"\b" if char == _BOUNDARY else re.escape(char)) + build(child)
            for char, child in sorted(node.items())
        ]
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return build(trie)
