"""`EmulatorRequest`: a PTB request backend that talks to an in-process Emulator."""

from __future__ import annotations

import asyncio
import json
import re

from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import TimedOut
from telegram.request import BaseRequest, RequestData

from emulator.core import Emulator

_BOT_URL = re.compile(r"/bot([^/]+)/([^/?]+)")


class EmulatorRequest(BaseRequest):
    """Use as `Bot(token, request=EmulatorRequest(emu), get_updates_request=...)`. PTB's own
    response handling then raises the real Forbidden/BadRequest/RetryAfter exceptions."""

    def __init__(self, emulator: Emulator, *, read_timeout: float | None = 5.0) -> None:
        self._emulator = emulator
        self._read_timeout = read_timeout

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(
        self,
        url: str,
        method: str,  # noqa: ARG002 - PTB passes it by name
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,  # noqa: ARG002
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,  # noqa: ARG002
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,  # noqa: ARG002
    ) -> tuple[int, bytes]:
        match = _BOT_URL.search(url)
        if match is None:
            body = {"ok": False, "error_code": 404, "description": "Not Found"}
            return 404, json.dumps(body).encode()
        token, api_method = match.groups()
        params = dict(request_data.parameters) if request_data else {}
        files: dict[str, tuple[str, bytes]] = {}
        if request_data is not None and request_data.contains_files:
            for field, (filename, content, _mime) in request_data.multipart_data.items():
                data = content if isinstance(content, bytes) else content.read()
                files[field] = (filename, data)
        timeout = self._read_timeout if isinstance(read_timeout, DefaultValue) else read_timeout
        call = self._emulator.call(token, api_method, params, files)
        try:
            if timeout is None:
                status, payload = await call
            else:
                status, payload = await asyncio.wait_for(call, timeout)
        except TimeoutError:
            raise TimedOut from None
        return status, json.dumps(payload).encode()
