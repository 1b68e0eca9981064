"""One normalisation and one feature pass for the solicitation scorer: hashed, never text.

* :func:`normalise` is how every part of the scorer reads a message (NFKC, lower case, plain
  apostrophes, one space for any run of whitespace, at most 4096 characters).
* :class:`MessageSignals` is what Telegram already parsed about a message (entity types, whether
  the text is a caption, where a forward came from, buttons with links), as plain values: the
  domain modules never see a Telegram object.
* :func:`vector` turns a normalised message into a :data:`Vector`: a sorted tuple of
  ``(bucket, value)`` pairs, where each bucket is a stable 18-bit hash (CRC-32) of one feature
  (word, word pair, character 3–5-gram of a word, structure cue, rule code). The message cannot
  be read back from it: many words share each bucket and the order is gone. This is the only
  form in which a message is ever kept for learning (:mod:`bot.moderation.learning`), and only
  in memory until an admin answers.
"""

from __future__ import annotations

import math
import re
import unicodedata
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise
from typing import Final

__all__ = [
    "BUCKETS",
    "MessageSignals",
    "Vector",
    "bucket",
    "normalise",
    "structure_tokens",
    "vector",
    "words",
]

BITS: Final = 18
BUCKETS: Final = 1 << BITS
_MASK: Final = BUCKETS - 1

# Telegram messages are at most 4096 characters; never scan more.
MAX_SCAN_CHARS: Final = 4096
_MAX_WORDS: Final = 400  # a longer message adds nothing but cost
_MIN_NORM: Final = 60

Vector = tuple[tuple[int, float], ...]


@dataclass(frozen=True, slots=True)
class MessageSignals:
    """What Telegram parsed about a message, without any of its text.

    ``entities``: the types of the message's (or caption's) entities, as Telegram names them
    (``"url"``, ``"text_link"``, ``"phone_number"``, ``"email"``, ``"mention"``, ``"hashtag"``,
    …). ``caption``: the text is a media caption. ``forward_origin``: the type of
    ``forward_origin`` (``"channel"``, ``"chat"``, ``"user"``, ``"hidden_user"``) or None.
    ``url_buttons``: how many inline buttons carry a URL.
    """

    entities: frozenset[str] = frozenset()
    caption: bool = False
    forward_origin: str | None = None
    url_buttons: int = 0

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


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text[:MAX_SCAN_CHARS]).lower()
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    return re.sub(r"\s+", " ", text).strip()


_WORD_RE: Final = re.compile(r"[^\W_]+(?:['-][^\W_]+)*|[@#][\w.]+")
_NUMBER_RE: Final = re.compile(r"^\d[\d,.]*$")


def words(source: str) -> list[str]:
    """The words of a normalised message; numbers become their length class (``#d4``)."""
    found: list[str] = []
    for token in _WORD_RE.findall(source)[:_MAX_WORDS]:
        if token[0].isdigit() and _NUMBER_RE.match(token):
            digits = sum(ch.isdigit() for ch in token)
            found.append(f"#d{min(digits, 7)}")
        elif token[0] == "@":
            found.append("@handle")
        elif token[0] == "#":
            found.append("#tag")
        else:
            found.append(token)
    return found


def bucket(name: str) -> int:
    """The stable bucket of one feature name (same on every machine and every run)."""
    return zlib.crc32(name.encode("utf-8")) & _MASK


_URL_HINT: Final = re.compile(r"https?://|www\.|\b[a-z0-9-]+\.(?:com|ke|example|ly|ee|gle|me)\b")
_EMAIL_HINT: Final = re.compile(r"\b[\w.+-]+@[a-z0-9-]+\.[a-z]")
_HANDLE_HINT: Final = re.compile(r"(?<![\w.])@[a-z0-9_]{3,}")
_AMOUNT_HINT: Final = re.compile(
    r"\b(?:kes|kshs?|ksh\.|sh\.|shs?)\s?\d|\d\s?(?:k\b|/=|/-|bob\b|shillings?\b)"
    r"|\b\d{1,3}(?:,\d{3})+\b|\b\d{3,6}\b|\belfu\b|\bmia\b|\bshilingi\b|\$\s?\d|\bdollars?\b"
)
_PERCENT_HINT: Final = re.compile(r"\d\s?%|\basilimia\b")


def structure_tokens(raw: str, source: str, signals: MessageSignals) -> list[str]:
    """Cues about how the message is built (links, contacts, prices, capitals, Telegram data)."""
    found: list[str] = []
    if signals.has_link or _URL_HINT.search(source):
        found.append("url")
    if "email" in signals.entities or _EMAIL_HINT.search(source):
        found.append("email")
    if "mention" in signals.entities or _HANDLE_HINT.search(source):
        found.append("handle")
    if "phone_number" in signals.entities:
        found.append("phone")
    if "text_link" in signals.entities:
        found.append("hidden_link")
    if signals.url_buttons:
        found.append("url_button")
    if signals.from_channel:
        found.append("from_channel")
    if signals.caption:
        found.append("caption")
    if _AMOUNT_HINT.search(source):
        found.append("amount")
    if _PERCENT_HINT.search(source):
        found.append("percent")
    letters = [ch for ch in raw[:MAX_SCAN_CHARS] if ch.isalpha()]
    if len(letters) >= 20 and sum(ch.isupper() for ch in letters) > 0.6 * len(letters):
        found.append("shouting")
    if raw.count("!") >= 2:
        found.append("exclaims")
    return found


def _char_grams(word: str) -> Iterable[str]:
    padded = f"<{word}>"
    size = len(padded)
    for n in (3, 4, 5):
        for start in range(size - n + 1):
            yield padded[start : start + n]


def vector(
    raw: str,
    source: str,
    signals: MessageSignals = NO_SIGNALS,
    codes: Iterable[str] = (),
) -> Vector:
    """Hashed features of one message. ``source`` is ``normalise(raw)``; ``codes`` are rule
    signals (reason and mitigation codes) that the model may weigh as well.

    Each present feature counts once; the vector is scaled to unit length so that long and short
    messages weigh alike (but a message of a word or two weighs as one of about ten).
    """
    seen: set[int] = set()
    tokens = words(source)
    for token in tokens:
        seen.add(bucket("w:" + token))
        if not token.startswith("#") and not token.startswith("@") and len(token) > 2:
            for gram in _char_grams(token):
                seen.add(bucket("c:" + gram))
    for first, second in pairwise(tokens):
        seen.add(bucket(f"b:{first} {second}"))
    for cue in structure_tokens(raw, source, signals):
        seen.add(bucket("s:" + cue))
    for code in codes:
        seen.add(bucket("r:" + code))
    seen.add(bucket("bias"))
    if not seen:
        return ()
    # A very short message is not allowed to weigh like a whole advert.
    value = 1.0 / math.sqrt(max(len(seen), _MIN_NORM))
    return tuple((index, value) for index in sorted(seen))


def word_buckets(source: str, *, content_only: bool = False) -> set[int]:
    """The word buckets of a normalised message (for the cheap pre-check). ``content_only``:
    leave out numbers, handles and words of fewer than three letters."""
    tokens = words(source)
    if content_only:
        tokens = [t for t in tokens if len(t) >= 3 and t[0] not in "#@"]
    return {bucket("w:" + token) for token in tokens}
