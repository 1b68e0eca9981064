"""Method parameters as they arrive: native values, or strings from query/form encoding."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from emulator.errors import bad_request

_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off", ""}


class Params:
    """Typed access to one call's parameters, decoding JSON-encoded strings like Telegram."""

    def __init__(
        self, raw: Mapping[str, Any], files: Mapping[str, tuple[str, bytes]] | None = None
    ) -> None:
        self.raw = dict(raw)
        self.files = dict(files or {})

    def has(self, name: str) -> bool:
        return self.raw.get(name) is not None

    def get(self, name: str) -> Any:
        return self.raw.get(name)

    def text(self, name: str) -> str | None:
        value = self.raw.get(name)
        if value is None:
            return None
        if isinstance(value, str):
            return value
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value)

    def required_text(self, name: str, empty_reason: str | None = None) -> str:
        value = self.text(name)
        if value is None or value == "":
            raise bad_request(empty_reason or f"{name} is empty")
        return value

    def integer(self, name: str) -> int | None:
        value = self.raw.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        try:
            return int(str(value).strip())
        except ValueError:
            raise bad_request(f"invalid {name} specified") from None

    def required_integer(self, name: str, empty_reason: str | None = None) -> int:
        value = self.integer(name)
        if value is None:
            raise bad_request(empty_reason or f"{name} is empty")
        return value

    def flag(self, name: str, default: bool = False) -> bool:
        value = self.raw.get(name)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        if isinstance(value, int):
            return value != 0
        text = str(value).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise bad_request(f"invalid {name} specified")

    def decoded(self, name: str, what: str | None = None) -> Any:
        """A complex parameter (object or array), given natively or JSON-encoded."""
        value = self.raw.get(name)
        if not isinstance(value, str):
            return value
        if value == "":
            return None
        try:
            return json.loads(value)
        except ValueError:
            raise bad_request(f"can't parse {what or name} JSON object") from None

    def chat_id(self, name: str = "chat_id") -> int | str:
        value = self.raw.get(name)
        if value is None or value == "":
            raise bad_request(f"{name} is empty")
        if isinstance(value, bool):
            raise bad_request("chat not found")
        if isinstance(value, int):
            return value
        text = str(value).strip()
        if text.startswith("@"):
            return text
        try:
            return int(text)
        except ValueError:
            raise bad_request("chat not found") from None

    def int_list(self, name: str) -> list[int]:
        value = self.decoded(name)
        if not isinstance(value, list) or not value:
            raise bad_request(f"{name} is empty")
        try:
            return [int(item) for item in value]
        except (TypeError, ValueError):
            raise bad_request(f"invalid {name} specified") from None

    def str_list(self, name: str) -> list[str] | None:
        value = self.decoded(name)
        if value is None:
            return None
        if not isinstance(value, list):
            raise bad_request(f"can't parse {name} JSON array")
        return [str(item) for item in value]

    def sanitized(self) -> dict[str, Any]:
        """For the call log: uploads replaced by a short description."""
        shown: dict[str, Any] = dict(self.raw)
        for field, (filename, data) in self.files.items():
            shown[field] = f"<upload {filename!r}, {len(data)} bytes>"
        return shown
