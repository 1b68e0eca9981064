"""The translation catalogues (gettext ``.po`` files, read with Babel) and language choice.

Message ids are stable keys such as ``"setup.ready"``; every language, English included, has a
catalogue in ``bot/locales/<lang>/LC_MESSAGES/*.po`` (one file per area of the bot). Adding a
language means adding one folder of catalogues. Placeholders use ``{name}``; values are
HTML-escaped when filled in, because every message is sent with HTML formatting.

Counted messages are gettext plurals (``msgid_plural`` and ``msgstr[0]``, ``msgstr[1]``...):
``n(lang, key, count)`` picks the form the language's ``Plural-Forms`` rule gives for the count,
so "1 day" and "2 days", "mwanachama 1" and "wanachama 3" are each written in full.
"""

from __future__ import annotations

import gettext
import html
import importlib.resources
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from importlib.resources.abc import Traversable
from typing import Any

from babel.dates import format_datetime
from babel.messages.pofile import read_po

from bot.settings import SUPPORTED_LANGUAGES

FALLBACK = "en"


class Safe(str):
    """Text that is already HTML (a catalogue text, a link); it is not escaped again."""

    __slots__ = ()


class MissingTextError(KeyError):
    """A message id is used in the code but is not in the English catalogue."""


PluralRule = Callable[[int], int]


@dataclass
class _Read:
    texts: dict[str, str] = field(default_factory=dict)
    plurals: dict[str, tuple[str, ...]] = field(default_factory=dict)
    rule: PluralRule | None = None


def _read_catalogue(folder: Traversable) -> _Read:
    found = _Read()
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if not entry.name.endswith(".po"):
            continue
        with entry.open("rb") as handle:
            catalog = read_po(handle)
        found.rule = found.rule or gettext.c2py(catalog.plural_expr)
        for message in catalog:
            key = message.id[0] if isinstance(message.id, tuple | list) else message.id
            if not key or not isinstance(key, str):
                continue
            if key in found.texts:
                raise ValueError(f"message id {key!r} is defined twice")
            if isinstance(message.string, tuple | list):
                forms = tuple(str(form) for form in message.string)
                found.plurals[key] = forms
                found.texts[key] = forms[-1]
            elif isinstance(message.string, str):
                found.texts[key] = message.string
    return found


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


class Catalogues:
    """All texts of all languages. ``t(lang, key, **values)`` gives a finished message."""

    def __init__(
        self,
        texts: Mapping[str, Mapping[str, str]],
        plurals: Mapping[str, Mapping[str, tuple[str, ...]]] | None = None,
        rules: Mapping[str, PluralRule] | None = None,
    ) -> None:
        self._texts = {lang: dict(entries) for lang, entries in texts.items()}
        self._plurals = {lang: dict(forms) for lang, forms in (plurals or {}).items()}
        self._rules = dict(rules or {})
        if FALLBACK not in self._texts:
            raise ValueError("the English catalogue is required")

    @classmethod
    def load(cls) -> Catalogues:
        root = importlib.resources.files("bot") / "locales"
        texts: dict[str, dict[str, str]] = {}
        plurals: dict[str, dict[str, tuple[str, ...]]] = {}
        rules: dict[str, PluralRule] = {}
        for folder in root.iterdir():
            messages = folder / "LC_MESSAGES"
            if folder.name in SUPPORTED_LANGUAGES and messages.is_dir():
                read = _read_catalogue(messages)
                texts[folder.name], plurals[folder.name] = read.texts, read.plurals
                if read.rule is not None:
                    rules[folder.name] = read.rule
        return cls(texts, plurals, rules)

    def plural_forms(self, lang: str, key: str) -> tuple[str, ...]:
        """Every form of a counted message in ``lang`` (empty if it is not counted there)."""
        return self._plurals.get(lang, {}).get(key, ())

    def n(self, lang: str, key: str, count: int, **values: Any) -> Safe:
        """A counted message: the form the language's plural rule gives for ``count``, with
        ``{count}`` and the other placeholders filled in (escaped)."""
        forms = self.plural_forms(lang, key)
        rule = self._rules.get(lang)
        if not forms or rule is None:
            lang = FALLBACK
            forms, rule = self.plural_forms(FALLBACK, key), self._rules.get(FALLBACK)
        if not forms or rule is None:
            raise MissingTextError(key)
        text = forms[min(rule(count), len(forms) - 1)]
        escaped = {
            name: value if isinstance(value, Safe) else html.escape(str(value), quote=False)
            for name, value in {"count": count, **values}.items()
        }
        return Safe(text.format_map(escaped))

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(sorted(self._texts))

    def keys(self, lang: str = FALLBACK) -> set[str]:
        return set(self._texts.get(lang, {}))

    def raw(self, lang: str, key: str) -> str:
        """The catalogue text itself: the language's own, else English (never empty)."""
        text = self._texts.get(lang, {}).get(key) or self._texts[FALLBACK].get(key)
        if not text:
            raise MissingTextError(key)
        return text

    def t(self, lang: str, key: str, **values: Any) -> Safe:
        """The finished message: catalogue text with its placeholders filled in, escaped."""
        text = self.raw(lang, key)
        if not values:
            return Safe(text)
        escaped = {
            name: value if isinstance(value, Safe) else html.escape(str(value), quote=False)
            for name, value in values.items()
        }
        return Safe(text.format_map(escaped))

    def plain(self, lang: str, key: str, **values: Any) -> str:
        """Text that Telegram shows as typed (a button's label): filled in, never escaped."""
        return self.raw(lang, key).format_map({name: str(v) for name, v in values.items()})

    def has(self, key: str) -> bool:
        return key in self._texts[FALLBACK]


def pick_language(
    chosen: str | None, telegram_language: str | None, fallback: str = FALLBACK
) -> str:
    """A member's language: their own choice, else their Telegram language, else the default."""
    if chosen in SUPPORTED_LANGUAGES:
        return chosen
    if telegram_language:
        base = telegram_language.split("-", 1)[0].lower()
        if base in SUPPORTED_LANGUAGES:
            return base
    return fallback if fallback in SUPPORTED_LANGUAGES else FALLBACK


# How moments are written for people: in their language (month names), in the group's zone.
MOMENT_FORMATS = {"time": "HH:mm", "date": "d MMM y", "moment": "d MMM y, HH:mm"}


def format_moment(epoch: int, lang: str, zone: tzinfo, style: str = "moment") -> str:
    """A moment as a person reads it: ``3 May 2026, 14:02`` / ``3 Mei 2026, 14:02``."""
    when = datetime.fromtimestamp(epoch, UTC)
    return format_datetime(when, MOMENT_FORMATS[style], tzinfo=zone, locale=lang)
