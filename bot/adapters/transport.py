"""A Bot API transport wrapped around another: the one shape every wrapper of ours shares.

python-telegram-bot sends every call through a ``BaseRequest``. A wrapper (counting calls,
tracking sent message ids) passes everything through and
does its own part in ``around``, around the inner transport's answer.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Awaitable, Callable
from typing import Any

from telegram.request import BaseRequest, RequestData

Call = Callable[[], Awaitable[tuple[int, bytes]]]


class WrappedRequest(BaseRequest):
    def __init__(self, inner: BaseRequest) -> None:
        self._inner = inner

    @property
    def read_timeout(self) -> float | None:
        return self._inner.read_timeout

    async def initialize(self) -> None:
        await self._inner.initialize()

    async def shutdown(self) -> None:
        await self._inner.shutdown()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        async def call() -> tuple[int, bytes]:
            return await self._inner.do_request(
                url,
                method,
                request_data,
                read_timeout=read_timeout,
                write_timeout=write_timeout,
                connect_timeout=connect_timeout,
                pool_timeout=pool_timeout,
            )

        return await self.around(url, request_data, call)

    @abstractmethod
    async def around(
        self, _url: str, _request_data: RequestData | None, _call: Call
    ) -> tuple[int, bytes]:
        """The wrapper's part, given the call's url and data: ``call()`` makes the inner
        transport's request."""
