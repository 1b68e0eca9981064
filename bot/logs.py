"""Logging set-up. Logs never contain message text, names, phone numbers or the token.

Handlers log ids and reason codes only; as a second line of defence a filter masks the token,
and httpx (which logs every request URL, token included) is kept at WARNING.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable

from telegram.error import BadRequest, InvalidToken, NetworkError


class RedactSecrets(logging.Filter):
    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self._secrets = [secret for secret in secrets if secret]

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if any(secret in message for secret in self._secrets):
            for secret in self._secrets:
                message = message.replace(secret, "<secret>")
            record.msg, record.args = message, None
        if record.exc_info and record.exc_info[1] is not None:
            text = str(record.exc_info[1])
            if any(secret in text for secret in self._secrets):
                record.exc_info = None
                record.exc_text = None
        return True


class ShortNetworkErrors(logging.Filter):
    """Telegram being unreachable or refusing the token is an operational event, not a bug:
    one line is enough (start-up prints a plain sentence about it)."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, NetworkError | InvalidToken) and not isinstance(error, BadRequest):
            record.exc_info = None
            record.exc_text = None
        return True


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
    handler.addFilter(RedactSecrets(list(secrets)))
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
