"""One reading of a message for everything moderation needs: normalised once, hashed, never kept.

* :func:`normalise` is how every part of moderation reads a message (NFKC, lower case, plain
  apostrophes, one space for any run of whitespace, at most 4096 characters).
* :class:`MessageSignals` is what Telegram already parsed about a message (entity types, whether
  the text is a caption, where a forward came from, buttons with links, and the words of hidden
  links and button labels), as plain values: the domain modules never see a Telegram object.
* :func:`read` makes a :class:`Reading`: the normalised text, its words, its contacts (phones,
  links, e-mails, tills; found once, shared by the repetition tracker and the scorer) and its
  structure cues. The pre-check, the repetition tracker, the model and the rules all start from
  the same reading (issue 13 item 4: one pass over the text).
* :func:`vector` turns a reading into a :data:`Vector`: a sorted tuple of ``(bucket, value)``
  pairs, where each bucket is a stable 18-bit hash (CRC-32) of one feature (word, character
  3–5-gram of a word, structure cue). The message cannot be read back from it: many words share
  each bucket and the order is gone. This is the only form in which a message is ever kept for
  learning (:mod:`bot.moderation.learning`): in the flag's row until an admin answers.
"""

from __future__ import annotations

import math
import re
import unicodedata
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Final

from bot.moderation.repetition import Contact, extract_contacts

__all__ = [
    "BUCKETS",
    "CUE_COUNT",
    "MIN_NORM",
    "NO_SIGNALS",
    "MessageSignals",
    "Reading",
    "Vector",
    "bucket",
    "cue_bucket",
    "normalise",
    "read",
    "scale",
    "structure_tokens",
    "token_buckets",
    "vector",
    "words",
]

BITS: Final = 18
BUCKETS: Final = 1 << BITS
_MASK: Final = BUCKETS - 1

# Telegram messages are at most 4096 characters; never scan more.
MAX_SCAN_CHARS: Final = 4096
_MAX_WORDS: Final = 400  # a longer message adds nothing but cost
# A message of a word or two weighs as one of about this many features, never like an advert.
MIN_NORM: Final = 60
# A structure cue (link, price, contact…) counts as this many features.
CUE_COUNT: Final = 2
_MAX_EXTRA_CHARS: Final = 1024  # hidden link addresses and button labels read, at most

Vector = tuple[tuple[int, float], ...]


@dataclass(frozen=True, slots=True)
class MessageSignals:
    """What Telegram parsed about a message.

    ``entities``: the types of the message's (or caption's) entities, as Telegram names them
    (``"url"``, ``"text_link"``, ``"phone_number"``, ``"email"``, ``"mention"``, ``"hashtag"``,
    …). ``caption``: the text is a media caption. ``forward_origin``: the type of
    ``forward_origin`` (``"channel"``, ``"chat"``, ``"user"``, ``"hidden_user"``) or None.
    ``url_buttons``: how many inline buttons carry a URL. ``extra``: the addresses of hidden
    links (``text_link``) and the labels and addresses of the message's buttons, which members
    see or tap but which are not in the text: read like the text, held only while the message is
    handled.
    """

    entities: frozenset[str] = frozenset()
    caption: bool = False
    forward_origin: str | None = None
    url_buttons: int = 0
    extra: str = field(default="", repr=False)

    @property
    def has_link(self) -> bool:
        return bool(self.entities & {"url", "text_link"}) or self.url_buttons > 0

    @property
    def has_contact(self) -> bool:
        return bool(self.entities & {"phone_number", "email"})

    @property
    def from_channel(self) -> bool:
        return self.forward_origin == "channel"


NO_SIGNALS: Final = MessageSignals()

_SPACES: Final = re.compile(r"\s+")


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text[:MAX_SCAN_CHARS]).lower()
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    return _SPACES.sub(" ", text).strip()


_WORD_RE: Final = re.compile(r"[^\W_]+(?:['-][^\W_]+)*|[@#][\w.]+")
_NUMBER_RE: Final = re.compile(r"^\d[\d,.]*$")


def words(source: str) -> list[str]:
    """The words of a normalised message; numbers become their length class (``#d4``), a
    ``@handle`` keeps its name (``@tulizatoys_ke``: a business names itself), a hashtag is
    ``#tag``."""
    found: list[str] = []
    for token in _WORD_RE.findall(source)[:_MAX_WORDS]:
        first = token[0]
        if first.isdigit() and _NUMBER_RE.match(token):
            digits = sum(ch.isdigit() for ch in token)
            found.append(f"#d{min(digits, 7)}")
        elif first == "#":
            found.append("#tag")
        else:
            found.append(token)
    return found


def bucket(name: str) -> int:
    """The stable bucket of one feature name (same on every machine and every run)."""
    return zlib.crc32(name.encode("utf-8")) & _MASK


def _char_grams(word: str) -> list[str]:
    padded = f"<{word}>"
    size = len(padded)
    return [padded[start : start + n] for n in (3, 4, 5) for start in range(size - n + 1)]


@lru_cache(maxsize=50_000)
def token_buckets(token: str) -> tuple[int, ...]:
    """The buckets one word contributes (the word itself and its character n-grams; a handle
    contributes ``@handle`` and the n-grams of each part of its name). Cached: a word is hashed
    once, however often it is written."""
    if token[0] == "@":
        found = [bucket("w:@handle")]
        for part in re.split(r"[_.]+", token[1:]):
            if len(part) > 2:
                found.extend(bucket("c:" + gram) for gram in _char_grams(part))
        return tuple(found)
    if token[0] == "#" or len(token) <= 2:
        return (bucket("w:" + token),)
    return (bucket("w:" + token), *(bucket("c:" + gram) for gram in _char_grams(token)))


_URL_HINT: Final = re.compile(r"https?://|www\.|\b[a-z0-9-]+\.(?:com|ke|example|ly|ee|gle|me)\b")
_EMAIL_HINT: Final = re.compile(r"\b[\w.+-]+@[a-z0-9-]+\.[a-z]")
_HANDLE_HINT: Final = re.compile(r"(?<![\w.])@[a-z0-9_]{3,}")
_AMOUNT_HINT: Final = re.compile(
    r"\b(?:kes|kshs?|ksh\.|sh\.|shs?)\s?\d|\d\s?(?:k\b|/=|/-|bob\b|shillings?\b)"
    r"|\b\d{1,3}(?:,\d{3})+\b|\b\d{3,6}\b|\belfu\b|\bmia\b|\bshilingi\b|\$\s?\d|\bdollars?\b"
)
_PERCENT_HINT: Final = re.compile(r"\d\s?%|\basilimia\b")
_DIGIT: Final = re.compile(r"\d")
_AMOUNT_WORDS: Final = frozenset({"elfu", "mia", "shilingi", "dollar", "dollars"})
_MIN_SHOUT_LETTERS: Final = 20
_SHOUT_SHARE: Final = 0.6


def structure_tokens(
    raw: str,
    source: str,
    signals: MessageSignals,
    contacts: tuple[Contact, ...] = (),
    tokens: Iterable[str] | None = None,
) -> list[str]:
    """Cues about how the message is built (links, contacts, prices, capitals, Telegram data).
    ``tokens``: the message's :func:`words`, if already found. Each test starts with a cheap
    check (a character, a word) before its regular expression."""
    found: list[str] = []
    present = frozenset(words(source) if tokens is None else tokens)
    kinds = {c.kind for c in contacts}
    if (
        signals.has_link
        or "url" in kinds
        or (("." in source or "http" in source) and _URL_HINT.search(source))
    ):
        found.append("url")
    at = "@" in source
    if "email" in signals.entities or (at and _EMAIL_HINT.search(source)):
        found.append("email")
    if "mention" in signals.entities or (at and _HANDLE_HINT.search(source)):
        found.append("handle")
    if "phone_number" in signals.entities or "phone" in kinds:
        found.append("phone")
    if "till" in kinds:
        found.append("till")
    if "text_link" in signals.entities:
        found.append("hidden_link")
    if signals.url_buttons:
        found.append("url_button")
    if signals.from_channel:
        found.append("from_channel")
    if signals.caption:
        found.append("caption")
    digits = _DIGIT.search(source) is not None
    # Without a digit, only the amount words can make an amount (or a percentage).
    if (digits and _AMOUNT_HINT.search(source)) or not _AMOUNT_WORDS.isdisjoint(present):
        found.append("amount")
    if (digits and "%" in source and _PERCENT_HINT.search(source)) or "asilimia" in present:
        found.append("percent")
    head = raw[:MAX_SCAN_CHARS]
    upper = sum(map(str.isupper, head))
    if upper >= _MIN_SHOUT_LETTERS * _SHOUT_SHARE:
        letters = sum(map(str.isalpha, head))
        if letters >= _MIN_SHOUT_LETTERS and upper > _SHOUT_SHARE * letters:
            found.append("shouting")
    if raw.count("!") >= 2:
        found.append("exclaims")
    return found


@dataclass(frozen=True, slots=True)
class Reading:
    """One message as moderation reads it, made once by :func:`read`. Holds the text only while
    the message is handled (never stored, never logged)."""

    raw: str = field(repr=False)
    source: str = field(repr=False)
    tokens: tuple[str, ...] = field(repr=False)
    contacts: tuple[Contact, ...] = field(repr=False)
    cues: tuple[str, ...]
    signals: MessageSignals = NO_SIGNALS


def read(text: str, signals: MessageSignals | None = None) -> Reading:
    """Normalise once; find words, contacts and structure cues once. The hidden link addresses
    and button labels Telegram gave (``signals.extra``) are read as part of the text."""
    signals = signals or NO_SIGNALS
    raw = text[:MAX_SCAN_CHARS]
    if signals.extra:
        raw = f"{raw}\n{signals.extra[:_MAX_EXTRA_CHARS]}"
    source = normalise(raw)
    contacts = extract_contacts(source)
    tokens = tuple(words(source))
    return Reading(
        raw=raw,
        source=source,
        tokens=tokens,
        contacts=contacts,
        cues=tuple(structure_tokens(raw, source, signals, contacts, tokens)),
        signals=signals,
    )


def scale(count: int) -> float:
    """What each feature of a message with ``count`` features weighs (unit length, but a very
    short message is not allowed to weigh like a whole advert)."""
    return 1.0 / math.sqrt(max(count, MIN_NORM))


def vector(reading: Reading) -> Vector:
    """Hashed features of one message: every word's buckets and every structure cue, counted,
    scaled by :func:`scale`. The model's margin over this vector equals
    :meth:`bot.moderation.model.Model.margin_of` over the reading."""
    counts: dict[int, int] = {}
    for token in reading.tokens:
        for index in token_buckets(token):
            counts[index] = counts.get(index, 0) + 1
    for cue in reading.cues:
        index = cue_bucket(cue)
        counts[index] = counts.get(index, 0) + CUE_COUNT
    if not counts:
        return ()
    value = scale(sum(counts.values()))
    return tuple((index, count * value) for index, count in sorted(counts.items()))


@lru_cache(maxsize=64)
def cue_bucket(cue: str) -> int:
    return bucket("s:" + cue)
