"""Updates python-telegram-bot cannot read are skipped and counted, never fetched for ever.

``Bot.get_updates`` turns the whole batch into ``Update`` objects at once; one update of a
shape the library does not know (a field whose type changed in a newer Bot API, say) makes it
raise, the polling loop asks again with the same offset, gets the same batch, and the bot
stalls in a tight loop — logging the raw update, names and texts included, each time.

``SkipUnreadable`` wraps the transport ``getUpdates`` goes through. It tries each update of an
answer on its own; one that cannot be read is replaced by ``{"update_id": N}`` (an empty
update: every handler passes it by, and the offset moves past it as for any other), counted,
and logged by its id and the kind of failure only. Every other request passes untouched.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from telegram import Update
from telegram.request import BaseRequest, RequestData

from bot.adapters.ordinary import ordinary_message
from bot.adapters.transport import Call, WrappedRequest

log = logging.getLogger(__name__)


def readable(raw: Any) -> bool:
    """Can python-telegram-bot turn this raw update into an ``Update``? An ordinary group
    message is let through unread: it is taken from its JSON where it is carried out, one by
    one (``bot/once.py``), and one the library then cannot read is skipped there."""
    try:
        if ordinary_message(raw) is not None:
            return True
        Update.de_json(raw, None)
    except Exception:  # whatever the library raises on a shape it does not know
        return False
    return True


class SkipUnreadable(WrappedRequest):
    def __init__(self, inner: BaseRequest, on_skip: Callable[[], object] | None = None) -> None:
        super().__init__(inner)
        self._on_skip = on_skip
        self.skipped = 0

    async def around(
        self, url: str, _request_data: RequestData | None, call: Call
    ) -> tuple[int, bytes]:
        code, payload = await call()
        if code != 200 or not url.rstrip("/").lower().endswith("/getupdates"):
            return code, payload
        return code, self.screen(payload)

    def screen(self, payload: bytes) -> bytes:
        """The answer with every unreadable update replaced by an empty one of the same id."""
        try:
            body = json.loads(payload)
        except ValueError:
            return payload
        updates = body.get("result") if isinstance(body, dict) else None
        if not isinstance(updates, list):
            return payload
        changed = False
        for index, raw in enumerate(updates):
            if readable(raw):
                continue
            update_id = raw.get("update_id") if isinstance(raw, dict) else None
            if not isinstance(update_id, int):
                continue  # without an id it cannot be stepped over: left to the library
            updates[index] = {"update_id": update_id}
            self.skipped += 1
            if self._on_skip is not None:
                self._on_skip()
            changed = True
            log.warning("update %s skipped: python-telegram-bot cannot read it", update_id)
        return json.dumps(body).encode() if changed else payload
