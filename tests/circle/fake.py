"""A small stand-in for Telegram, used until the shared harness lands.

It answers the Bot API methods the circle uses, refuses to write to people who never started
the bot (403, like Telegram), records every call, and builds updates as Telegram sends them.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.request import BaseRequest, RequestData

from bot.app import build_application, on_shutdown, on_startup
from bot.context import App
from bot.timeutil import ManualClock
from tests.conftest import make_settings

BOT_ID = 999
BOT_USERNAME = "pamoja_bot"


@dataclass
class Call:
    method: str
    params: dict[str, Any]


@dataclass
class FakeTelegram(BaseRequest):
    calls: list[Call] = field(default_factory=list)
    started: set[int] = field(default_factory=set)
    admins: dict[int, set[int]] = field(default_factory=dict)
    names: dict[int, str] = field(default_factory=dict)
    down: bool = False
    next_message_id: int = 100
    documents: list[bytes] = field(default_factory=list)
    callback_owner: dict[str, int] = field(default_factory=dict)

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        name = url.rsplit("/", 1)[-1]
        params: dict[str, Any] = dict(request_data.parameters) if request_data else {}
        if request_data is not None and request_data.multipart_data:
            for value in request_data.multipart_data.values():
                content = value[1] if isinstance(value, tuple) else value
                if isinstance(content, bytes):
                    self.documents.append(content)
        if self.down and name in ("sendMessage",):
            return 502, json.dumps(
                {"ok": False, "error_code": 502, "description": "Bad Gateway"}
            ).encode()
        self.calls.append(Call(name, params))
        result = self._answer(name, params)
        if isinstance(result, tuple):
            code, description = result
            body = {"ok": False, "error_code": code, "description": description}
            return code, json.dumps(body).encode()
        return 200, json.dumps({"ok": True, "result": result}).encode()

    def _user(self, user_id: int) -> dict[str, Any]:
        return {
            "id": user_id,
            "is_bot": False,
            "first_name": self.names.get(user_id, f"U{user_id}"),
        }

    def _message(self, chat_id: int, params: dict[str, Any]) -> dict[str, Any]:
        self.next_message_id += 1
        chat: dict[str, Any] = (
            {"id": chat_id, "type": "private", "first_name": self.names.get(chat_id, "x")}
            if chat_id > 0
            else {"id": chat_id, "type": "supergroup", "title": "Group"}
        )
        message: dict[str, Any] = {
            "message_id": self.next_message_id,
            "date": 1_790_000_000,
            "chat": chat,
            "from": {
                "id": BOT_ID,
                "is_bot": True,
                "first_name": "Pamoja",
                "username": BOT_USERNAME,
            },
            "text": params.get("text", ""),
        }
        if params.get("reply_markup"):
            markup = params["reply_markup"]
            message["reply_markup"] = json.loads(markup) if isinstance(markup, str) else markup
        return message

    def _answer(self, name: str, params: dict[str, Any]) -> Any:
        if name == "getMe":
            return {
                "id": BOT_ID,
                "is_bot": True,
                "first_name": "Pamoja",
                "username": BOT_USERNAME,
                "can_join_groups": True,
                "can_read_all_group_messages": False,
                "supports_inline_queries": False,
            }
        if name in ("sendMessage", "sendDocument"):
            chat_id = int(params["chat_id"])
            if chat_id > 0 and chat_id not in self.started:
                return 403, "Forbidden: bot can't initiate conversation with a user"
            return self._message(chat_id, params)
        if name == "editMessageText":
            return self._message(int(params["chat_id"]), params)
        if name == "getChatAdministrators":
            chat_id = int(params["chat_id"])
            return [
                {
                    "status": "administrator",
                    "user": self._user(admin),
                    "can_be_edited": False,
                    "is_anonymous": False,
                    "can_manage_chat": True,
                    "can_delete_messages": True,
                    "can_manage_video_chats": True,
                    "can_restrict_members": True,
                    "can_promote_members": False,
                    "can_change_info": True,
                    "can_invite_users": True,
                    "can_post_stories": False,
                    "can_edit_stories": False,
                    "can_delete_stories": False,
                }
                for admin in sorted(self.admins.get(chat_id, set()))
            ]
        if name == "getChatMember":
            return {"status": "member", "user": self._user(int(params["user_id"]))}
        return True

    # -- inspection --------------------------------------------------------------------
    def sent_to(self, chat_id: int) -> list[str]:
        return [
            c.params.get("text", "")
            for c in self.calls
            if c.method in ("sendMessage", "editMessageText")
            and int(c.params["chat_id"]) == chat_id
        ]

    def seen_by_others(self, owner: int) -> str:
        """Everything the bot sent or showed to anyone but ``owner`` (incl. groups, files)."""
        return "\n".join(
            json.dumps(c.params, ensure_ascii=False)
            for c in self.calls
            if self._recipient(c) != owner
        )

    def _recipient(self, call: Call) -> int:
        if call.method == "answerCallbackQuery":
            return self.callback_owner.get(str(call.params.get("callback_query_id")), 0)
        return int(call.params.get("chat_id", 0) or 0)

    def all_text(self) -> str:
        return "\n".join(json.dumps(c.params, ensure_ascii=False) for c in self.calls) + "\n".join(
            d.decode(errors="replace") for d in self.documents
        )

    def last_markup(self, chat_id: int) -> list[str]:
        for call in reversed(self.calls):
            if (
                call.method in ("sendMessage", "editMessageText")
                and int(call.params["chat_id"]) == chat_id
            ):
                markup = call.params.get("reply_markup")
                if not markup:
                    continue
                data = json.loads(markup) if isinstance(markup, str) else markup
                return [
                    b.get("callback_data") or b.get("url", "")
                    for row in data["inline_keyboard"]
                    for b in row
                ]
        return []


class Driver:
    def __init__(self, app: App, fake: FakeTelegram, clock: ManualClock) -> None:
        self.app = app
        self.fake = fake
        self.clock = clock
        self._update_id = 0
        self._message_id = 1000

    def _next(self) -> int:
        self._update_id += 1
        return self._update_id

    async def feed(self, payload: dict[str, Any]) -> None:
        payload["update_id"] = self._next()
        await self.app.process_update(Update.de_json(payload, self.app.bot))

    def user(self, user_id: int, lang: str = "en") -> dict[str, Any]:
        return {
            "id": user_id,
            "is_bot": False,
            "first_name": self.fake.names.get(user_id, f"U{user_id}"),
            "language_code": lang,
        }

    async def private(self, user_id: int, text: str) -> None:
        self.fake.started.add(user_id)
        self._message_id += 1
        message: dict[str, Any] = {
            "message_id": self._message_id,
            "date": self.clock.epoch(),
            "chat": {"id": user_id, "type": "private", "first_name": "x"},
            "from": self.user(user_id),
            "text": text,
        }
        if text.startswith("/"):
            length = len(text.split(" ", 1)[0])
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        await self.feed({"message": message})

    async def group(
        self, chat_id: int, user_id: int, text: str, reply_to: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        self._message_id += 1
        message: dict[str, Any] = {
            "message_id": self._message_id,
            "date": self.clock.epoch(),
            "chat": {"id": chat_id, "type": "supergroup", "title": "Group"},
            "from": self.user(user_id),
            "text": text,
        }
        if text.startswith("/"):
            length = len(text.split(" ", 1)[0])
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        await self.feed({"message": message})
        return message

    async def press(self, user_id: int, data: str, chat_id: int | None = None) -> None:
        chat = chat_id if chat_id is not None else user_id
        query_id = str(self._update_id + 1000)
        self.fake.callback_owner[query_id] = user_id
        await self.feed(
            {
                "callback_query": {
                    "id": query_id,
                    "from": self.user(user_id),
                    "chat_instance": "ci",
                    "data": data,
                    "message": {
                        "message_id": 1,
                        "date": self.clock.epoch(),
                        "chat": {"id": chat, "type": "private", "first_name": "x"},
                        "from": {"id": BOT_ID, "is_bot": True, "first_name": "Pamoja"},
                        "text": "…",
                    },
                }
            }
        )

    async def run_due(self) -> int:
        return await self.app.bot_data.scheduler.run_due(self.app)

    async def advance(self, seconds: int) -> None:
        self.clock.advance(seconds)
        await self.run_due()


@asynccontextmanager
async def running(tmp_path: Path, fake: FakeTelegram | None = None) -> AsyncIterator[Driver]:
    fake = fake or FakeTelegram()
    clock = ManualClock(start=1_790_000_000)
    settings = make_settings(tmp_path)
    app = build_application(settings, request=fake, rate_limit=False, clock=clock)
    async with app:
        await on_startup(app)
        try:
            yield Driver(app, fake, clock)
        finally:
            await on_shutdown(app)
