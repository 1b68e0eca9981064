"""The JSON control API (`/_emulator/...`): act as people and read the log from another
process. It mirrors the in-process API; handles come back as plain objects with an "id"."""

from __future__ import annotations

import base64
import dataclasses
from collections.abc import Mapping
from typing import Any

from emulator.core import Emulator
from emulator.errors import EmulatorError
from emulator.world import JSON, Message

ACTIONS = frozenset(
    {
        "add_user",
        "add_group",
        "add_bot_to_group",
        "remove_bot_from_group",
        "set_bot_rights",
        "promote",
        "demote",
        "set_group_permissions",
        "join",
        "leave",
        "request_join",
        "start_bot",
        "open_link",
        "block_bot",
        "unblock_bot",
        "send",
        "forward",
        "deliver_raw",
        "send_photo",
        "send_voice",
        "send_sticker",
        "send_document",
        "press",
        "advance",
        "fail_next",
        "answer_late_next",
        "inject_faults",
        "stop_faults",
    }
)


def _plain(value: object) -> object:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {k: _plain(v) for k, v in dataclasses.asdict(value).items()}
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def message_view(message: Message) -> JSON:
    view: JSON = {
        "message_id": message.message_id,
        "chat_id": message.chat_id,
        "sender_id": message.sender_id,
        "date": message.date,
        "text": message.text,
        "caption": message.caption,
        "media": message.media.kind if message.media else None,
        "file_name": message.media.file_name if message.media else None,
        "buttons": message.buttons(),
        "reply_to": message.reply_to,
        "service": message.service,
        "deleted": message.deleted,
        "edited": message.edit_date is not None,
    }
    return view


def act(emulator: Emulator, body: Mapping[str, Any]) -> object:
    arguments = dict(body)
    action = arguments.pop("action", None)
    if action not in ACTIONS:
        raise EmulatorError(f"unknown action {action!r}")
    if "data_base64" in arguments:
        arguments["data"] = base64.b64decode(arguments.pop("data_base64"))
    elif isinstance(arguments.get("data"), str) and action != "press":
        arguments["data"] = arguments["data"].encode()
    try:
        result = getattr(emulator, action)(**arguments)
    except TypeError as error:
        raise EmulatorError(f"bad arguments for {action}: {error}") from None
    return _plain(result)


def _int(query: Mapping[str, str], name: str) -> int:
    try:
        return int(query[name])
    except (KeyError, ValueError):
        raise EmulatorError(f"query parameter {name} must be an integer") from None


async def handle(
    emulator: Emulator, path: str, query: Mapping[str, str], body: Mapping[str, Any]
) -> tuple[int, JSON]:
    """Answer one control request: (HTTP status, JSON body)."""
    try:
        result: object
        if path == "act":
            result = act(emulator, body)
        elif path == "transcript":
            since = int(query.get("since", "0") or 0)
            result = {"text": emulator.transcript(since), "mark": emulator.transcript_mark()}
        elif path == "calls":
            result = _plain(emulator.calls)
        elif path == "messages":
            result = [message_view(m) for m in emulator.messages(_int(query, "chat_id"))]
        elif path == "member":
            result = emulator.member_json(_int(query, "chat_id"), _int(query, "user_id"))
        elif path == "sent_files":
            result = _plain(emulator.sent_files(_int(query, "chat_id")))
        elif path == "wait_idle":
            quiet = float(body.get("quiet", query.get("quiet", 0.3)))
            timeout = float(body.get("timeout", query.get("timeout", 10.0)))
            await emulator.wait_idle(quiet=quiet, timeout=timeout)
            result = True
        elif path == "state":
            result = emulator.state_summary()
        else:
            return 404, {"ok": False, "description": f"unknown control endpoint {path!r}"}
    except (EmulatorError, TimeoutError) as error:
        return 400, {"ok": False, "description": str(error)}
    return 200, {"ok": True, "result": result}
