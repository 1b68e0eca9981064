"""What the bot knows of each chat's message ids, learnt from the Bot API's own answers.

``TrackedRequest`` wraps the transport. Every answer to a send (``sendMessage``,
``copyMessage``...) and every message in ``getUpdates`` tells the ``SentTracker`` a message id
that exists in a chat. A send whose answer never came (a timeout, a dropped connection) is
counted as *unresolved* for that chat unless the outbox made it (the outbox keeps its own
record of those, per row).

The outbox uses this to check, safely, whether a timed-out message reached Telegram after all:
it only ever looks at message ids the bot knows nothing about, and only while no other send to
that chat is unresolved (see ``bot/delivery/outbox.py``). Nothing is kept but numbers.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
from collections import deque
from collections.abc import Iterator
from typing import Any

from telegram.request import BaseRequest, RequestData

from bot import effects
from bot.adapters.ratelimit import SEND_METHODS
from bot.adapters.transport import Call, WrappedRequest

_KEEP = 64  # message ids remembered per chat
_OUTBOX_ATTEMPT: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "pamoja_outbox_attempt", default=False
)


@contextlib.contextmanager
def outbox_attempt() -> Iterator[None]:
    """Sends made inside this block are the outbox's own (it records their outcome per row)."""
    token = _OUTBOX_ATTEMPT.set(True)
    try:
        yield
    finally:
        _OUTBOX_ATTEMPT.reset(token)


class SentTracker:
    def __init__(self) -> None:
        self._known: dict[int, deque[int]] = {}
        self._highest: dict[int, int] = {}
        self._unresolved: dict[int, int] = {}
        self._in_flight: dict[int, int] = {}

    def saw(self, chat_id: int, message_id: int) -> None:
        known = self._known.setdefault(chat_id, deque(maxlen=_KEEP))
        known.append(message_id)
        if message_id > self._highest.get(chat_id, 0):
            self._highest[chat_id] = message_id

    def highest(self, chat_id: int) -> int | None:
        return self._highest.get(chat_id)

    def knows(self, chat_id: int, message_id: int) -> bool:
        return message_id in self._known.get(chat_id, ())

    def lost_answer(self, chat_id: int) -> None:
        """A send (not the outbox's) whose outcome nobody knows."""
        self._unresolved[chat_id] = self._unresolved.get(chat_id, 0) + 1

    def unresolved(self, chat_id: int) -> int:
        return self._unresolved.get(chat_id, 0)

    def in_flight(self, chat_id: int) -> int:
        """Sends to this chat whose answer has not come yet."""
        return self._in_flight.get(chat_id, 0)

    def begin(self, chat_id: int) -> None:
        self._in_flight[chat_id] = self._in_flight.get(chat_id, 0) + 1

    def end(self, chat_id: int) -> None:
        left = self._in_flight.get(chat_id, 0) - 1
        if left > 0:
            self._in_flight[chat_id] = left
        else:
            self._in_flight.pop(chat_id, None)

    # -- reading the Bot API's answers ---------------------------------------------------------

    def learn(self, method: str, params: dict[str, Any], payload: bytes) -> None:
        try:
            body = json.loads(payload)
        except ValueError:
            return
        if not isinstance(body, dict) or not body.get("ok"):
            return
        result = body.get("result")
        if method == "getUpdates" and isinstance(result, list):
            for update in result:
                for value in update.values() if isinstance(update, dict) else ():
                    self._learn_message(value)
            return
        if method == "copyMessage" and isinstance(result, dict):
            chat = _chat_id(params.get("chat_id"))
            if chat is not None and isinstance(result.get("message_id"), int):
                self.saw(chat, int(result["message_id"]))
            return
        for message in result if isinstance(result, list) else [result]:
            self._learn_message(message)

    def _learn_message(self, message: object) -> None:
        if not isinstance(message, dict):
            return
        chat = message.get("chat")
        message_id = message.get("message_id")
        if (
            isinstance(chat, dict)
            and isinstance(chat.get("id"), int)
            and isinstance(message_id, int)
        ):
            self.saw(int(chat["id"]), message_id)


def _chat_id(value: object) -> int | None:
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            return int(value)
    return None


def _method(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1]


class TrackedRequest(WrappedRequest):
    """Wraps the Bot API transport; feeds a ``SentTracker`` from the answers (numbers only)."""

    def __init__(self, inner: BaseRequest, tracker: SentTracker) -> None:
        super().__init__(inner)
        self._tracker = tracker

    async def around(
        self, url: str, request_data: RequestData | None, call: Call
    ) -> tuple[int, bytes]:
        name = _method(url)
        if not name.startswith("get"):  # a send, a ban, an answer: not a read
            effects.noted()
        params = dict(request_data.parameters) if request_data is not None else {}
        chat = _chat_id(params.get("chat_id")) if name in SEND_METHODS else None
        if chat is not None:
            self._tracker.begin(chat)
        try:
            code, payload = await call()
        except BaseException:  # no answer: Telegram may or may not have it
            if chat is not None and not _OUTBOX_ATTEMPT.get():
                self._tracker.lost_answer(chat)
            raise
        finally:
            if chat is not None:
                self._tracker.end(chat)
        if code == 200 and (name in SEND_METHODS or name == "getUpdates"):
            self._tracker.learn(name, params, payload)
        return code, payload
