"""The same phone number or link posted again and again.

Two parts:

* :func:`extract_contacts` finds phone numbers (Kenyan ``07xx``/``01xx``/``+254``/``254``,
  other international ``+`` numbers), links, e-mail addresses and M-Pesa till/paybill numbers in
  a message and normalises them, so that ``0700 000 101``, ``+254-700-000101`` and
  ``254700000101`` are the same contact. It is shared with :mod:`bot.moderation.solicitation`.
* :class:`ContactRepetitionTracker` remembers, per group, *salted hashes* of the contacts seen in
  recent messages and who posted them, and answers whether a new message repeats a contact that
  the same sender posted in an earlier message, or that several senders have posted. It keeps no
  message text and no raw contact: only keyed hashes (HMAC-SHA256 with a per-instance secret),
  Telegram user ids and timestamps, within a time window and a fixed number of entries.

Public crisis lines (Befrienders Kenya, Niskize, …) never count as contacts for repetition:
members are encouraged to share them. Nor do links to public information (government and
intergovernmental sites: the Ministry of Health, the WHO): a page several members pass on is a
resource, not an advert.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Final, Literal

__all__ = [
    "KENYAN_PUBLIC_HELPLINES",
    "PUBLIC_LINK_SUFFIXES",
    "Contact",
    "ContactKind",
    "ContactRepetitionTracker",
    "RepetitionResult",
    "extract_contacts",
    "normalise_phone",
]

ContactKind = Literal["phone", "url", "email", "till"]

# Public crisis and help lines, normalised with :func:`normalise_phone` (or plain digits for short
# codes). Deployments can pass their own, longer list; check numbers before relying on them.
KENYAN_PUBLIC_HELPLINES: Final = frozenset(
    {
        "+254722178177",  # Befrienders Kenya, 0722 178 177
        "+254900620800",  # Niskize, 0900 620 800
        "1199",  # Kenya Red Cross (toll free)
        "1195",  # national GBV hotline
        "116",  # Childline Kenya
        "999",  # emergency
        "112",  # emergency
    }
)

# Hosts of public information (government and intergovernmental sites), matched on the end of a
# link's host: "health.go.ke" and "www.who.int" are public; "go.ke.example.com" is not.
PUBLIC_LINK_SUFFIXES: Final = ("go.ke", "gov", "gov.uk", "int")

# Telegram's own limit on a message is 4096 characters; captions are shorter.
_MAX_SCAN_CHARS: Final = 4096

_SEP = r"[ .\-]?"
_PHONE_RE: Final = re.compile(
    r"(?<![\w+])(?:"
    # +254 / 254 / 00254, optional "(0)", then 9 digits starting 1-9
    rf"(?P<ke_intl>(?:\+|00)?254{_SEP}(?:\(0\){_SEP})?[1-9](?:{_SEP}\d){{8}})"
    # 0xxx xxx xxx (10 digits, Kenyan national format)
    rf"|(?P<ke_local>0[1-9](?:{_SEP}\d){{8}})"
    # any other international number written with "+"
    rf"|(?P<intl>\+[1-9](?:{_SEP}\(?\d\)?){{7,14}})"
    r")(?![ .\-]?\d)"
)
_EMAIL_RE: Final = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63})+")
_TLDS = (
    r"(?:com|net|org|info|biz|io|co|me|ly|ee|gle|app|link|page|site|online|africa|health|ke"
    r"|co\.ke|or\.ke|ac\.ke|go\.ke|ne\.ke|me\.ke|co\.uk|example)"
)
_URL_RE: Final = re.compile(
    r"(?:(?:https?://|www\.)[^\s<>\"']+"
    rf"|(?<![\w@.\-])(?:[a-z0-9-]{{1,63}}\.)+{_TLDS}(?:/[^\s<>\"']*)?(?![\w\-]))"
)
_TILL_RE: Final = re.compile(
    r"\b(?:till|pay\s?bill|buy\s?goods)\b"
    r"(?:\s*(?:no\.?|number|namba|num|#|:|-))*\s*"
    r"(?P<digits>\d(?:[ \-]?\d){4,6})(?!\d)"
)
_ANY_DIGIT: Final = re.compile(r"\d")
_TRAILING_PUNCT = ".,;:!?)]}'\"»…"


@dataclass(frozen=True, slots=True)
class Contact:
    """A contact found in a message, normalised. Hold it only while handling the message."""

    kind: ContactKind
    value: str


def normalise_phone(raw: str) -> str | None:
    """Normalise a phone number to ``+<country><number>``, or ``None`` if it is not one.

    Kenyan national numbers (``0722 178 177``) become ``+254722178177``; ``254…`` and ``00…``
    are read as international. Short codes (``1199``) are not phone numbers here.
    """
    digits = "".join(ch for ch in raw if ch.isdigit())
    if raw.lstrip().startswith("00"):
        digits = digits[2:]
        international = True
    else:
        international = raw.lstrip().startswith("+")
    if digits.startswith("2540") and len(digits) == 13:  # +254 (0)7xx...
        digits = "254" + digits[4:]
    if not international:
        if len(digits) == 10 and digits.startswith("0"):
            return "+254" + digits[1:]
        if len(digits) == 12 and digits.startswith("254"):
            return "+" + digits
        return None
    if 8 <= len(digits) <= 15 and not digits.startswith("0"):
        return "+" + digits
    return None


def _normalise_url(raw: str) -> str | None:
    url = raw.rstrip(_TRAILING_PUNCT).lower()
    url = re.sub(r"^https?://", "", url)
    url = url.removeprefix("www.")
    url = url.rstrip("/")
    host = url.split("/", 1)[0]
    if "." not in host or len(url) < 4:
        return None
    return url


def is_public_link(url: str) -> bool:
    """Whether a normalised link (:func:`extract_contacts`) is on a public information site.

    Only the host counts, read as a browser reads it: ``mysite.co.ke?ref=health.go.ke`` and
    ``mysite.com#who.int`` are not public, and a link with a user part (``@``) or a backslash
    in its address never is."""
    authority = re.split(r"[/?#]", url, maxsplit=1)[0]
    if "@" in authority or "\\" in authority:
        return False
    host = authority.split(":", 1)[0].rstrip(".")
    return any(host == suffix or host.endswith("." + suffix) for suffix in PUBLIC_LINK_SUFFIXES)


def extract_contacts(text: str) -> tuple[Contact, ...]:
    """Find phone numbers, links, e-mail addresses and till/paybill numbers in ``text``.

    Returns each distinct contact once, in order of appearance (phones, tills, e-mails, links).
    Short codes such as ``1199`` are not returned. Only the first 4096 characters are read.
    """
    source = text[:_MAX_SCAN_CHARS].lower()
    found: dict[Contact, None] = {}

    # Cheap rejection first: a phone or till needs a digit, an e-mail an "@", a link a dot.
    if _ANY_DIGIT.search(source) is not None:
        for match in _PHONE_RE.finditer(source):
            phone = normalise_phone(match.group(0))
            if phone is not None:
                found[Contact("phone", phone)] = None
        for match in _TILL_RE.finditer(source):
            digits = re.sub(r"\D", "", match.group("digits"))
            found[Contact("till", digits)] = None

    without_emails = source
    if "@" in source:
        for match in _EMAIL_RE.finditer(source):
            found[Contact("email", match.group(0).rstrip(_TRAILING_PUNCT))] = None
            without_emails = without_emails.replace(match.group(0), " ")
    if "." not in without_emails:
        return tuple(found)
    for match in _URL_RE.finditer(without_emails):
        url = _normalise_url(match.group(0))
        if url is not None:
            found[Contact("url", url)] = None
    return tuple(found)


@dataclass(frozen=True, slots=True)
class RepetitionResult:
    """What the tracker knows about the contacts in one message (never the contacts themselves).

    ``contacts``: distinct contacts in the message that count (public helplines left out).
    ``repeated_by_sender``: the sender posted one of them in an earlier message in the window.
    ``other_senders``: the most distinct *other* senders that posted one of them in the window.
    ``repeated``: ``repeated_by_sender``, or enough senders (the tracker's
    ``cross_sender_threshold``, counting this one) posted the same contact.
    """

    contacts: int
    repeated_by_sender: bool
    other_senders: int
    repeated: bool


_NOTHING: Final = RepetitionResult(
    contacts=0, repeated_by_sender=False, other_senders=0, repeated=False
)


class _Entry:
    __slots__ = ("last_seen", "senders")

    def __init__(self, now: datetime) -> None:
        self.last_seen = now
        # sender id -> (when last posted it, message id of that post or None)
        self.senders: dict[int, tuple[datetime, int | None]] = {}


def _utc_now() -> datetime:
    return datetime.now(UTC)


class ContactRepetitionTracker:
    """Remembers hashed contacts per group and sender, in memory, for a time window.

    Each :meth:`observe` call costs O(contacts in the message) plus amortised O(1) clean-up.
    Memory is bounded by ``max_entries`` (group, contact) pairs of at most
    ``max_senders_per_contact`` senders each; the least recently seen entries go first.
    Nothing survives a restart, which is intended: the secret salt is per instance unless given.
    """

    def __init__(
        self,
        *,
        salt: bytes | None = None,
        window: timedelta = timedelta(days=7),
        max_entries: int = 50_000,
        max_senders_per_contact: int = 16,
        cross_sender_threshold: int = 3,
        public_numbers: Iterable[str] = KENYAN_PUBLIC_HELPLINES,
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        if salt is not None and len(salt) < 16:
            raise ValueError("salt must be at least 16 bytes")
        if window <= timedelta(0):
            raise ValueError("window must be positive")
        if max_entries < 1 or max_senders_per_contact < 1 or cross_sender_threshold < 2:
            raise ValueError("limits too small")
        self._salt = salt if salt is not None else secrets.token_bytes(32)
        self._window = window
        self._max_entries = max_entries
        self._max_senders = max_senders_per_contact
        self._cross_threshold = cross_sender_threshold
        self._clock = clock
        self._public: frozenset[str] = frozenset(
            normalise_phone(number) or "".join(ch for ch in number if ch.isdigit())
            for number in public_numbers
        )
        self._entries: OrderedDict[tuple[int, bytes], _Entry] = OrderedDict()

    def __len__(self) -> int:
        """Number of (group, contact) entries held."""
        return len(self._entries)

    def counts(self, contact: Contact) -> bool:
        """Whether ``contact`` counts for repetition (public helplines and links to public
        information do not)."""
        if contact.kind == "url":
            return not is_public_link(contact.value)
        return not (contact.kind == "phone" and contact.value in self._public)

    def observe(
        self, group_id: int, sender_id: int, text: str, *, message_id: int | None = None
    ) -> RepetitionResult:
        """Record the contacts in ``text`` and say whether they repeat earlier ones.

        Pass ``message_id`` so that an edited message is not counted as a repeat of itself.
        """
        return self.observe_contacts(
            group_id, sender_id, extract_contacts(text), message_id=message_id
        )

    def observe_contacts(
        self,
        group_id: int,
        sender_id: int,
        contacts: Iterable[Contact],
        *,
        message_id: int | None = None,
    ) -> RepetitionResult:
        """Like :meth:`observe`, for contacts already found with :func:`extract_contacts`."""
        now = self._clock()
        self._expire(now)
        keys = {self._key(group_id, c) for c in contacts if self.counts(c)}
        if not keys:
            return _NOTHING

        cutoff = now - self._window
        repeated_by_sender = False
        other_senders = 0
        for key in keys:
            entry = self._entries.get(key)
            if entry is None:
                entry = _Entry(now)
                self._entries[key] = entry
            else:
                live = {s: v for s, v in entry.senders.items() if v[0] >= cutoff}
                entry.senders = live
                previous = live.get(sender_id)
                if previous is not None and (message_id is None or previous[1] != message_id):
                    repeated_by_sender = True
                other_senders = max(other_senders, sum(1 for s in live if s != sender_id))
            entry.senders[sender_id] = (now, message_id)
            if len(entry.senders) > self._max_senders:
                oldest = min(entry.senders.items(), key=lambda item: item[1][0])[0]
                del entry.senders[oldest]
            entry.last_seen = now
            self._entries.move_to_end(key)

        while len(self._entries) > self._max_entries:
            self._entries.popitem(last=False)
        return RepetitionResult(
            contacts=len(keys),
            repeated_by_sender=repeated_by_sender,
            other_senders=other_senders,
            repeated=repeated_by_sender or other_senders + 1 >= self._cross_threshold,
        )

    def forget_sender(self, sender_id: int) -> None:
        """Drop everything held about ``sender_id`` (erasure request, exclusion). O(entries)."""
        for key in list(self._entries):
            entry = self._entries[key]
            entry.senders.pop(sender_id, None)
            if not entry.senders:
                del self._entries[key]

    def forget_group(self, group_id: int) -> None:
        """Drop everything held for ``group_id``. O(entries)."""
        for key in [k for k in self._entries if k[0] == group_id]:
            del self._entries[key]

    def _key(self, group_id: int, contact: Contact) -> tuple[int, bytes]:
        message = f"{contact.kind}\x00{contact.value}".encode()
        return group_id, hmac.new(self._salt, message, hashlib.sha256).digest()[:16]

    def _expire(self, now: datetime) -> None:
        cutoff = now - self._window
        while self._entries:
            key, entry = next(iter(self._entries.items()))
            if entry.last_seen >= cutoff:
                break
            del self._entries[key]
