"""`EmulatorServer`: the emulator over HTTP, like a self-hosted Bot API server
(`{root}/bot{token}/{method}`), plus the JSON control API under `/_emulator/`."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
from collections.abc import Coroutine
from typing import Any

import tornado.httpserver
import tornado.iostream
import tornado.netutil
import tornado.web

from emulator.control import handle as handle_control
from emulator.core import Emulator

_LOGGER = logging.getLogger(__name__)
Answer = tuple[int, dict[str, Any]]
_TOKEN_IN_PATH = re.compile(r"/bot[^/]+/")


def _log_request(handler: tornado.web.RequestHandler) -> None:
    path = _TOKEN_IN_PATH.sub("/bot<token>/", handler.request.path)
    _LOGGER.debug("%s %s -> %s", handler.request.method, path, handler.get_status())


class _Handler(tornado.web.RequestHandler):
    def initialize(self, server: EmulatorServer) -> None:
        self.server = server
        self._task: asyncio.Task[Answer] | None = None

    def _request_summary(self) -> str:  # tornado logs this on errors: hide the token
        path = _TOKEN_IN_PATH.sub("/bot<token>/", self.request.path)
        return f"{self.request.method} {path} ({self.request.remote_ip})"

    def on_connection_close(self) -> None:
        if self._task is not None:
            self._task.cancel()

    async def _run(self, work: Coroutine[Any, Any, Answer]) -> None:
        self._task = self.server.begin(work)
        status, answer = await self.server.outcome(self._task)
        self._reply(status, answer)

    def check_xsrf_cookie(self) -> None:
        return None

    def _reply(self, status: int, body: Any) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        with contextlib.suppress(tornado.iostream.StreamClosedError):  # client went away
            self.finish(json.dumps(body))

    def _json_body(self) -> dict[str, Any] | None:
        content_type = self.request.headers.get("Content-Type", "")
        if not content_type.startswith("application/json") or not self.request.body:
            return {}
        try:
            decoded = json.loads(self.request.body)
        except ValueError:
            return None
        return decoded if isinstance(decoded, dict) else None


class BotApiHandler(_Handler):
    async def get(self, token: str, method: str) -> None:
        await self._answer(token, method)

    async def post(self, token: str, method: str) -> None:
        await self._answer(token, method)

    async def _answer(self, token: str, method: str) -> None:
        params: dict[str, Any] = {
            name: values[-1].decode("utf-8", "replace")
            for name, values in self.request.query_arguments.items()
        }
        body = self._json_body()
        if body is None:
            self._reply(
                400,
                {
                    "ok": False,
                    "error_code": 400,
                    "description": "Bad Request: can't parse JSON encoded request",
                },
            )
            return
        params.update(body)
        for name, values in self.request.body_arguments.items():
            params[name] = values[-1].decode("utf-8", "replace")
        files = {
            name: (uploads[0].filename, uploads[0].body)
            for name, uploads in self.request.files.items()
        }
        await self._run(self.server.emulator.call(token, method, params, files))


class ControlHandler(_Handler):
    async def get(self, path: str) -> None:
        await self._answer(path)

    async def post(self, path: str) -> None:
        await self._answer(path)

    async def _answer(self, path: str) -> None:
        body = self._json_body()
        if body is None:
            self._reply(400, {"ok": False, "description": "the body must be a JSON object"})
            return
        query = {k: v[-1].decode() for k, v in self.request.query_arguments.items()}
        await self._run(handle_control(self.server.emulator, path.strip("/"), query, body))


class EmulatorServer:
    """Serve an Emulator over HTTP on host:port (port 0 picks a free port)."""

    def __init__(self, emulator: Emulator, host: str = "127.0.0.1", port: int = 0) -> None:
        self.emulator = emulator
        self.host = host
        self.port = port
        self._server: tornado.httpserver.HTTPServer | None = None
        self._inflight: set[asyncio.Task[Answer]] = set()
        self.url = ""

    def begin(self, work: Coroutine[Any, Any, Answer]) -> asyncio.Task[Answer]:
        """Run one request's work as a task that stop() (or a disconnect) can cancel."""
        task = asyncio.ensure_future(work)
        self._inflight.add(task)
        task.add_done_callback(self._inflight.discard)
        return task

    @staticmethod
    async def outcome(task: asyncio.Task[Answer]) -> Answer:
        await asyncio.wait({task})
        if task.cancelled():
            return 503, {"ok": False, "error_code": 503, "description": "Service Unavailable"}
        error = task.exception()
        if error is not None:
            _LOGGER.error("emulator failure", exc_info=error)
            return 500, {"ok": False, "error_code": 500, "description": "Internal Server Error"}
        return task.result()

    async def start(self) -> str:
        """Start listening; returns the root URL, e.g. http://127.0.0.1:54321."""
        app = tornado.web.Application(
            [
                (r"/bot([^/]+)/([A-Za-z0-9_]+)/?", BotApiHandler, {"server": self}),
                (r"/_emulator/(.+)", ControlHandler, {"server": self}),
            ],
            log_function=_log_request,
        )
        sockets = tornado.netutil.bind_sockets(self.port, self.host)
        self._server = tornado.httpserver.HTTPServer(app, max_body_size=60 * 1024 * 1024)
        self._server.add_sockets(sockets)
        self.port = sockets[0].getsockname()[1]
        self.url = f"http://{self.host}:{self.port}"
        return self.url

    async def stop(self) -> None:
        if self._server is None:
            return
        self._server.stop()
        for task in list(self._inflight):
            task.cancel()
        if self._inflight:
            await asyncio.gather(*self._inflight, return_exceptions=True)
        await self._server.close_all_connections()
        self._server = None

    async def __aenter__(self) -> EmulatorServer:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()


async def serve(
    host: str = "127.0.0.1", port: int = 8081, emulator: Emulator | None = None
) -> None:
    """Run an emulator server until cancelled (for the `pamoja emulator` command)."""
    server = EmulatorServer(emulator or Emulator(), host, port)
    await server.start()
    _LOGGER.info("Bot API emulator listening on %s", server.url)
    try:
        await asyncio.Event().wait()
    finally:
        await server.stop()
