"""reply_markup validation with Telegram's error answers (BUTTON_DATA_INVALID and friends)."""

from __future__ import annotations

import re
from typing import Any

from emulator.errors import bad_request
from emulator.params import Params
from emulator.world import JSON

MAX_CALLBACK_DATA_BYTES = 64
_ACTION_FIELDS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
_URL = re.compile(r"^(?:(?:https?|tg)://)?[^\s/$.?#][^\s]*$", re.IGNORECASE)


def _button_error(reason: str) -> Exception:
    return bad_request(f"can't parse inline keyboard button: {reason}")


def _valid_button_url(url: str) -> bool:
    if not url or not _URL.match(url):
        return False
    lowered = url.lower()
    if lowered.startswith("tg://"):
        return True
    host = re.sub(r"^https?://", "", lowered).split("/", 1)[0].split(":", 1)[0]
    return "." in host and not host.startswith(".") and not host.endswith(".")


def _check_button(button: Any) -> JSON:
    if not isinstance(button, dict):
        raise _button_error("InlineKeyboardButton must be an Object")
    text = button.get("text")
    if not isinstance(text, str):
        raise _button_error('Field "text" must be of type String')
    actions = [name for name in _ACTION_FIELDS if name in button]
    if not actions:
        raise _button_error("Text buttons are unallowed in the inline keyboard")
    if "callback_data" in button:
        data = button["callback_data"]
        if not isinstance(data, str):
            raise _button_error('Field "callback_data" must be of type String')
        if not data or len(data.encode("utf-8")) > MAX_CALLBACK_DATA_BYTES:
            raise bad_request("BUTTON_DATA_INVALID")
    if "url" in button:
        url = button["url"]
        if not isinstance(url, str) or not _valid_button_url(url):
            raise bad_request("BUTTON_URL_INVALID")
    return dict(button)


def parse_reply_markup(params: Params) -> JSON | None:
    markup = params.decoded("reply_markup", "reply keyboard markup")
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        rows = markup["inline_keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise bad_request(
                'Field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays'
            )
        checked: list[list[JSON]] = []
        for row in rows:
            checked.append([_check_button(button) for button in row])
        return {"inline_keyboard": checked}
    if not any(key in markup for key in ("keyboard", "remove_keyboard", "force_reply")):
        raise bad_request("can't parse reply keyboard markup JSON object")
    return dict(markup)


def button_labels(markup: JSON | None) -> list[list[str]]:
    if not markup:
        return []
    rows = markup.get("inline_keyboard") or markup.get("keyboard") or []
    labels: list[list[str]] = []
    for row in rows:
        labels.append([b["text"] if isinstance(b, dict) else str(b) for b in row])
    return labels
