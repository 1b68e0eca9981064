"""The one button-data format, ``feature:verb:arg:arg``, its parser and its dispatcher.

Verbs are words (``agree``, ``accept``, ``withdraw``), never one or two letters. Telegram allows
64 bytes of data; ``encode`` refuses more, so a button that could not be pressed is never sent.
Data that does not parse, or whose arguments are not what the verb expects, raises
``StaleButtonError``: the person is answered kindly and nothing changes.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

from telegram import Update
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler

from bot.context import Context
from bot.errors import StaleButtonError
from bot.ids import parse_id

log = logging.getLogger(__name__)

MAX_BYTES = 64
_WORD = re.compile(r"^[a-z][a-z_]*$")
_ARG = re.compile(r"^[A-Za-z0-9_.+-]*$")


@dataclass(frozen=True)
class Callback:
    """A parsed press: which feature, which verb, and the arguments as text."""

    feature: str
    verb: str
    args: tuple[str, ...]

    def count(self, expected: int) -> Callback:
        """Exactly ``expected`` arguments, else the press is stale."""
        if len(self.args) != expected:
            raise StaleButtonError
        return self

    def number(self, index: int) -> int:
        """Argument ``index`` as a whole number within the database's range."""
        value = parse_id(self.args[index]) if index < len(self.args) else None
        if value is None:
            raise StaleButtonError
        return value

    def ints(self) -> list[int]:
        return [self.number(index) for index in range(len(self.args))]

    def text(self, index: int) -> str:
        try:
            return self.args[index]
        except IndexError:
            raise StaleButtonError from None


def encode(feature: str, verb: str, *args: object) -> str:
    """Button data for ``feature``'s ``verb``; fails loudly on what Telegram would refuse."""
    parts = [feature, verb, *(str(arg) for arg in args)]
    if not _WORD.match(feature) or not _WORD.match(verb):
        raise ValueError(f"feature and verb must be words: {feature!r} {verb!r}")
    if any(not _ARG.match(part) for part in parts[2:]):
        raise ValueError("callback arguments may not contain ':' or spaces")
    data = ":".join(parts)
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"callback data over {MAX_BYTES} bytes for {feature}:{verb}")
    return data


def parse(data: str | None) -> Callback:
    """Parse ``feature:verb[:args]``; anything else is stale."""
    if not data:
        raise StaleButtonError
    parts = data.split(":")
    if len(parts) < 2 or not _WORD.match(parts[0]) or not _WORD.match(parts[1]):
        raise StaleButtonError
    return Callback(parts[0], parts[1], tuple(parts[2:]))


ButtonHandler = Callable[[Update, Context, Callback], Awaitable[None]]
_TOO_LATE = ("query is too old", "query id is invalid")


def too_late(error: BadRequest) -> bool:
    """Telegram's answer to answering a press it has forgotten (about 15 seconds on)."""
    return any(words in error.message.lower() for words in _TOO_LATE)


def callback_handler(
    feature: str, verbs: Mapping[str, ButtonHandler]
) -> CallbackQueryHandler[Context, None]:
    """One handler for every button of a feature: the verb picks the function, no if/elif."""
    table = dict(verbs)
    alternatives = "|".join(sorted(map(re.escape, table)))

    async def dispatch(update: Update, context: Context) -> None:
        query = update.callback_query
        if query is None:
            return
        pressed = parse(query.data)
        handler = table.get(pressed.verb)
        if handler is None or pressed.feature != feature:
            raise StaleButtonError
        try:
            await handler(update, context, pressed)
        except BadRequest as error:
            if not too_late(error):
                raise
            # Pressed long ago (the bot was busy or down): Telegram no longer takes an answer.
            log.info("a press on a %s button came too late to be answered", feature)

    return CallbackQueryHandler(dispatch, pattern=rf"^{re.escape(feature)}:({alternatives})(:|$)")
