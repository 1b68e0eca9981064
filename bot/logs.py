"""Logging set-up. Logs never contain message text, names, usernames, phone numbers or secrets.

Pamoja's own code logs ids and reason codes only. The libraries do not keep to that:
python-telegram-bot logs a whole raw update when it cannot read one and every call's
parameters at DEBUG, aiosqlite every statement's values, httpx every URL (the token is in it).
So one filter, ``Privacy``, cleans every record of every logger — it is applied when a record
is made (the log-record factory), so no handler, pytest's included, ever sees the raw one; it is
also on the root handler and on the libraries' loggers. It

* renders the message itself, each argument made safe first: numbers stay; text from our own
  code is kept but scrubbed; from a library, only a short word without spaces is kept (a URL,
  a method name), any other text, dict, list or object becomes ``<data>``;
* replaces the bot token and other secrets, phone numbers, @usernames and any name, username,
  text or caption of a recent update (``Privacy.remember``, fed by every update) wherever they
  appear — in the message and in a traceback;
* keeps a traceback's frames but cleans its exception lines (quoted values and ``{…}``/``[…]``
  contents removed), and keeps a NetworkError to one line (an operational event, not a bug).
"""

from __future__ import annotations

import json
import logging
import re
import traceback
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from telegram import Update
from telegram.error import BadRequest, InvalidToken, NetworkError

OWN_LOGGERS = ("bot", "emulator", "pamoja")
LIBRARY_LOGGERS = ("telegram", "httpx", "httpcore", "apscheduler", "aiosqlite", "tornado")
PERSONAL_FIELDS = frozenset(
    {
        "first_name",
        "last_name",
        "username",
        "title",
        "text",
        "caption",
        "phone_number",
        "bio",
        "query",
        "question",
        "sender_user_name",
        "author_signature",
        "name",
        "description",
        "vcard",
        "invite_link",
    }
)
REMEMBERED = 4000  # values of recent updates the filter looks for
_TOKEN = re.compile(r"\b\d{5,16}:[A-Za-z0-9_-]{30,}")
_PHONE = re.compile(r"(?<![\w+])(?:\+|00)\d[\d ()\-.]{6,18}\d|(?<!\w)0[17]\d{8}(?!\d)")
_USERNAME = re.compile(r"(?<![\w.@])@[A-Za-z][A-Za-z0-9_]{2,31}")
_SAFE_WORD = re.compile(r"^[A-Za-z0-9_.:/\-=<>?&%#,()\[\]]{0,200}$")
_QUOTED = re.compile(r"'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\"")
_BRACED = re.compile(r"\{[^\n]*\}|\[[^\n]*\]")
_EXCEPTION_LINE = re.compile(
    r"^([A-Za-z_][\w.]*(?:Error|Exception|Warning|Exit|Interrupt|"
    r"Failure|Conflict|Forbidden|BadRequest|TimedOut|RetryAfter|"
    r"InvalidToken|ChatMigrated)\b:)(.*)$"
)


def _is_own(name: str) -> bool:
    return any(name == own or name.startswith(own + ".") for own in OWN_LOGGERS)


class Privacy(logging.Filter):
    """Cleans a record of personal data and secrets (see the module). Idempotent."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self._secrets: list[str] = []
        self._values: OrderedDict[str, None] = OrderedDict()
        self.failures = 0  # lines it could not clean (withheld instead)
        self.add_secrets(secrets)

    def add_secrets(self, secrets: Iterable[str]) -> None:
        for secret in secrets:
            if secret and secret not in self._secrets:
                self._secrets.append(secret)
                head, _, tail = secret.partition(":")
                if head.isdigit() and len(tail) >= 10:
                    self._secrets.append(tail)  # the token's secret part, wherever it shows
        self._secrets.sort(key=len, reverse=True)

    # -- learning what to look for --------------------------------------------------------

    def remember(self, update: object) -> None:
        """Note the names, usernames, texts and captions of an update, to find them later."""
        raw = update.to_dict() if isinstance(update, Update) else update
        for value in _personal_values(raw):
            self._values.pop(value, None)
            self._values[value] = None
        while len(self._values) > REMEMBERED:
            self._values.popitem(last=False)

    # -- cleaning -------------------------------------------------------------------------------

    def scrub(self, text: str) -> str:
        """``text`` with secrets, remembered values, phone numbers and @usernames replaced."""
        for secret in self._secrets:
            if secret in text:
                text = text.replace(secret, "<secret>")
        text = _TOKEN.sub("<secret>", text)
        if self._values:
            for value in sorted((v for v in self._values if v in text), key=len, reverse=True):
                # As a whole word: a member called Ann leaves "Announcement" alone.
                edges = (
                    r"(?<!\w)" if value[0].isalnum() else "",
                    r"(?!\w)" if value[-1].isalnum() else "",
                )
                text = re.sub(edges[0] + re.escape(value) + edges[1], "<private>", text)
        text = _PHONE.sub("<phone>", text)
        return _USERNAME.sub("@<user>", text)

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "pamoja_private", False):
            return True
        own = _is_own(record.name)
        if not isinstance(record.msg, str):
            record.msg, record.args = "%s", (record.msg,)
        if record.args:
            record.msg = self._render(record.msg, record.args, own)
            record.args = None
        record.msg = self.scrub(record.msg)
        self._clean_exception(record)
        record.pamoja_private = True
        return True

    def _render(self, msg: str, args: Any, own: bool) -> str:
        safe: Any
        if isinstance(args, Mapping):  # one dict argument (logging passes it as the args)
            safe = {
                key: "<private>" if key in PERSONAL_FIELDS else self._safe(value, own)
                for key, value in args.items()
            }
        else:
            safe = tuple(self._safe(value, own) for value in args)
        try:
            return str(msg % safe)
        except (TypeError, ValueError, KeyError):
            return f"{msg} {safe!r}"

    def _safe(self, value: object, own: bool) -> object:
        if value is None or isinstance(value, bool | int | float):
            return value
        if isinstance(value, BaseException):
            return f"{type(value).__name__}({self._clean_message(str(value))})"
        if isinstance(value, list | tuple | set | frozenset) and all(
            isinstance(item, int) for item in value
        ):
            return value  # a list of ids ("Getting updates: [12, 13]")
        if isinstance(value, type):
            return value.__name__
        text = self.scrub(value if isinstance(value, str) else _text_of(value))
        if own and isinstance(value, str):
            return text
        return text if _SAFE_WORD.match(text) else "<data>"

    def _clean_message(self, message: str) -> str:
        message = _QUOTED.sub("'…'", message)
        return self.scrub(_BRACED.sub("{…}", message))

    def _clean_exception(self, record: logging.LogRecord) -> None:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, NetworkError | InvalidToken) and not isinstance(error, BadRequest):
            record.exc_info, record.exc_text = None, None  # one line is enough
            return
        if record.exc_info and record.exc_info[0] is not None:
            text = "".join(traceback.format_exception(*record.exc_info))
        elif record.exc_text:
            text = record.exc_text
        else:
            return
        record.exc_info = None
        record.exc_text = self._clean_traceback(text.rstrip("\n"))

    def _clean_traceback(self, text: str) -> str:
        lines = []
        for line in text.split("\n"):
            match = _EXCEPTION_LINE.match(line)
            if match:
                line = match.group(1) + self._clean_message(match.group(2))
            elif not line.startswith((" ", "Traceback", "During handling", "The above")):
                line = self._clean_message(line)  # a message's further lines
            lines.append(self.scrub(line))
        return "\n".join(lines)


def _text_of(value: object) -> str:
    try:
        return str(value)
    except Exception:  # an object whose str() fails: nothing of it is logged
        return "<data>"


def _personal_values(raw: object) -> Iterable[str]:
    if isinstance(raw, Mapping):
        for key, value in raw.items():
            if key in PERSONAL_FIELDS and isinstance(value, str) and len(value.strip()) >= 3:
                yield value
                if key == "username":
                    yield "@" + value
            else:
                yield from _personal_values(value)
    elif isinstance(raw, list | tuple):
        for item in raw:
            yield from _personal_values(item)


RedactSecrets = Privacy  # the filter's first name


class ShortNetworkErrors(logging.Filter):
    """Telegram being unreachable or refusing the token is an operational event, not a bug:
    one line is enough (start-up prints a plain sentence about it). ``Privacy`` does the
    same; this stays for handlers set up elsewhere."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, NetworkError | InvalidToken) and not isinstance(error, BadRequest):
            record.exc_info = None
            record.exc_text = None
        return True


class PrivateRecords:
    """The log-record factory: every record of every logger is cleaned as it is made."""

    def __init__(self, previous: Callable[..., logging.LogRecord], privacy: Privacy) -> None:
        self.previous = previous
        self.privacy = privacy

    def __call__(self, *args: Any, **kwargs: Any) -> logging.LogRecord:
        record = self.previous(*args, **kwargs)
        try:
            self.privacy.filter(record)
        except Exception:  # never let cleaning a line break the code that logs it
            self.privacy.failures += 1
            record.msg, record.args = "log line withheld: it could not be cleaned", None
            record.exc_info, record.exc_text = None, None
            record.pamoja_private = True
        return record


def install_privacy(secrets: Iterable[str] = ()) -> Privacy:
    """Clean every record of every logger from now on (once; later calls add secrets)."""
    factory = logging.getLogRecordFactory()
    if isinstance(factory, PrivateRecords):
        factory.privacy.add_secrets(secrets)
        privacy = factory.privacy
    else:
        privacy = Privacy(secrets)
        logging.setLogRecordFactory(PrivateRecords(factory, privacy))
    for name in LIBRARY_LOGGERS:
        library = logging.getLogger(name)
        if not any(isinstance(f, Privacy) for f in library.filters):
            library.addFilter(privacy)
    return privacy


def uninstall_privacy() -> None:
    """Back to the plain record factory (for tests)."""
    factory = logging.getLogRecordFactory()
    if isinstance(factory, PrivateRecords):
        logging.setLogRecordFactory(factory.previous)
    for name in LIBRARY_LOGGERS:
        library = logging.getLogger(name)
        for found in [f for f in library.filters if isinstance(f, Privacy)]:
            library.removeFilter(found)


def privacy_in_force() -> Privacy | None:
    """The filter cleaning every record, if logging was configured."""
    factory = logging.getLogRecordFactory()
    return factory.privacy if isinstance(factory, PrivateRecords) else None


async def remember_update(update: object, _context: object) -> None:
    """First of all handlers: the filter learns this update's personal values."""
    privacy = privacy_in_force()
    if privacy is not None:
        privacy.remember(update)


class JsonFormatter(logging.Formatter):
    """One JSON object a line (``PAMOJA_LOG_FORMAT=json``), for log collectors.

    It formats what the filters above have already redacted, so the privacy rules are the same
    as for text: the fields are the time, level, logger, message and, if any, the traceback.
    """

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(level: str, secrets: Iterable[str], *, json_format: bool = False) -> None:
    handler = logging.StreamHandler()
    if json_format:
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    privacy = install_privacy(list(secrets))
    handler.addFilter(privacy)
    handler.addFilter(ShortNetworkErrors())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("httpx", "httpcore", "apscheduler", "tornado.access"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # At DEBUG these print every Bot API call's parameters and every SQL statement's values
    # (message texts, encrypted fields): never below INFO, whatever PAMOJA_LOG_LEVEL says.
    for chatty in ("telegram", "aiosqlite"):
        logging.getLogger(chatty).setLevel(max(logging.INFO, logging.getLevelName(level)))
