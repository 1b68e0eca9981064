"""`Emulator`: one emulated Telegram, answering Bot API calls and acting as people."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from emulator.errors import (
    ApiError,
    bad_request,
    conflict,
    not_found,
    too_many_requests,
    unauthorized,
)
from emulator.faults import SEND_METHODS, FaultPlan
from emulator.group_setup import GroupSetup
from emulator.handles import UserHandle
from emulator.inspection import Inspection
from emulator.methods import method_table
from emulator.params import Params
from emulator.people import PeopleActions
from emulator.state import World
from emulator.world import JSON, CallRecord, InjectedFailure

DEFAULT_TOKEN = "7000000001:AAEmulatedTokenForPamojaTestsOnly000"  # noqa: S105 - not a secret
_TOKEN = re.compile(r"^\d{1,20}:[A-Za-z0-9_-]{1,100}$")
_MAX_UPDATES = 100


class Emulator(GroupSetup, PeopleActions, Inspection):
    """A fake Telegram for one bot: the Bot API subset Pamoja uses, with Telegram's errors.

    Reach it in-process with `EmulatorRequest` or over HTTP with `EmulatorServer`; act as
    people with `add_user`, `add_group`, `send`, `press`...; inspect with `messages`,
    `member`, `transcript`...
    """

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        bot_name: str = "Pamoja",
        bot_username: str = "PamojaBot",
        clock: Callable[[], float] | None = None,
        privacy_mode: bool = True,
        enforce_flood_limits: bool = False,
        allowed_updates: Iterable[str] | None = None,
    ) -> None:
        if not _TOKEN.match(token):
            raise ValueError("a bot token looks like '123456:ABC-xyz'")
        self._world = World(
            token=token,
            bot_name=bot_name,
            bot_username=bot_username,
            clock=clock,
            privacy_mode=privacy_mode,
            enforce_flood_limits=enforce_flood_limits,
            allowed_updates=allowed_updates,
        )
        self._methods = method_table()
        self.faults: FaultPlan | None = None
        """Random faults like Telegram's for a share of the calls (see `emulator.faults`)."""
        self._late: list[tuple[str, int | None, float]] = []

    def __repr__(self) -> str:
        return f"Emulator(bot=@{self._world.bot.username})"  # never shows the token

    # -- identity and settings ----------------------------------------------------------------

    @property
    def token(self) -> str:
        return self._world.token

    @property
    def bot(self) -> UserHandle:
        return self._handle(self._world.bot)

    @property
    def privacy_mode(self) -> bool:
        return self._world.privacy_mode

    @privacy_mode.setter
    def privacy_mode(self, enabled: bool) -> None:
        self._world.privacy_mode = enabled

    @property
    def enforce_flood_limits(self) -> bool:
        return self._world.enforce_flood_limits

    @enforce_flood_limits.setter
    def enforce_flood_limits(self, enabled: bool) -> None:
        self._world.enforce_flood_limits = enabled

    @property
    def flood_refusals(self) -> int:
        """How many sends the flood limits refused with 429 so far."""
        return self._world.flood_refusals

    @property
    def allowed_updates(self) -> frozenset[str]:
        return self._world.updates.allowed

    @allowed_updates.setter
    def allowed_updates(self, allowed: Iterable[str]) -> None:
        """As a getUpdates/setWebhook call would set it ([] = Telegram's default set)."""
        self._world.updates.set_allowed(list(allowed))

    # -- time -------------------------------------------------------------------------------

    def now(self) -> float:
        return self._world.now()

    def advance(self, seconds: float) -> None:
        """Move the emulator's clock forward (restrictions, bans and links expire)."""
        self._world.advance(seconds)

    # -- the Bot API ------------------------------------------------------------------------

    async def call(
        self,
        token: str,
        method: str,
        params: Mapping[str, Any],
        files: Mapping[str, tuple[str, bytes]] | None = None,
    ) -> tuple[int, JSON]:
        """Answer one Bot API request: (HTTP status, JSON body) exactly as Telegram would."""
        world = self._world
        world.last_call_at = time.monotonic()
        arguments = Params(params, files)
        name = method
        fault: str | None = None
        late = 0.0
        try:
            if not _TOKEN.match(token):
                raise not_found()
            if token != world.token:
                raise unauthorized()
            spec = self._methods.get(method.lower())
            if spec is None and method.lower() != "getupdates":
                raise not_found()
            name = spec.name if spec else "getUpdates"
            injected = world.take_failure(name, arguments.get("chat_id"))
            if injected is not None:
                raise injected
            fault = self.faults.draw(name) if self.faults is not None and spec else None
            if fault is not None and fault != "slow":
                raise self._fault(fault)
            late = self._take_late(name, arguments.get("chat_id"))
            result = spec.handler(world, arguments) if spec else await self._get_updates(arguments)
        except ApiError as error:
            self._record(name, arguments, error)
            return error.error_code, error.body()
        self._record(name, arguments, None)
        if fault == "slow" and self.faults is not None:
            late = self.faults.slow_seconds
        if late:
            # Carried out, but the answer comes after the client stopped waiting.
            await asyncio.sleep(late)
        return 200, {"ok": True, "result": result}

    def inject_faults(
        self,
        rate: float = 0.3,
        *,
        seed: int = 12,
        methods: list[str] | None = None,
        retry_after: tuple[int, int] = (1, 3),
        slow_seconds: float = 0.3,
    ) -> dict[str, int]:
        """From now on, fail `rate` of the calls of `methods` (the send methods by default) as
        Telegram does (see `emulator.faults`); returns what was injected until now."""
        before = self.faults.summary() if self.faults is not None else {}
        self.faults = FaultPlan(
            rate=rate,
            seed=seed,
            methods=frozenset(methods) if methods is not None else SEND_METHODS,
            retry_after=(int(retry_after[0]), int(retry_after[1])),
            slow_seconds=slow_seconds,
        )
        return before

    def stop_faults(self) -> dict[str, int]:
        """No more random faults; what was injected (by kind) and how many calls could fail."""
        plan, self.faults = self.faults, None
        if plan is None:
            return {}
        return {**plan.summary(), "calls": plan.calls}

    def answer_late_next(
        self, method: str, *, chat_id: int | None = None, seconds: float = 0.3
    ) -> None:
        """Carry out the next call of `method` (to `chat_id`, if given) but answer it only
        `seconds` later — after a client with a shorter timeout has given up waiting."""
        self._late.append((method.lower(), chat_id, seconds))

    def _take_late(self, method: str, chat_id: object) -> float:
        for index, (wanted, chat, seconds) in enumerate(self._late):
            if wanted == method.lower() and (chat is None or str(chat) == str(chat_id)):
                del self._late[index]
                return seconds
        return 0.0

    def _fault(self, kind: str) -> ApiError:
        if kind == "429" and self.faults is not None:
            return too_many_requests(self.faults.retry_seconds())
        if kind == "500":
            return ApiError(500, "Internal Server Error")
        return ApiError(502, "Bad Gateway")

    def _record(self, method: str, params: Params, error: ApiError | None) -> None:
        self._world.calls.append(
            CallRecord(
                method=method,
                params=params.sanitized(),
                ok=error is None,
                error_code=error.error_code if error else None,
                description=error.description if error else None,
                at=self._world.now(),
            )
        )

    async def _get_updates(self, params: Params) -> list[JSON]:
        world = self._world
        if world.webhook.url:
            raise conflict(
                "can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first"
            )
        allowed = params.str_list("allowed_updates")
        if allowed is not None:
            world.updates.set_allowed(allowed)
        limit = params.integer("limit") or _MAX_UPDATES
        timeout = params.integer("timeout") or 0
        if timeout < 0:
            raise bad_request("timeout must be non-negative")
        return await world.updates.poll(
            params.integer("offset") or 0, max(1, min(limit, _MAX_UPDATES)), timeout
        )

    def fail_next(
        self,
        method: str,
        error_code: int,
        description: str,
        *,
        retry_after: int | None = None,
        chat_id: int | None = None,
    ) -> None:
        """Make the next call of `method` (to `chat_id`, if given) fail with this answer."""
        self._world.failures.append(
            InjectedFailure(method, error_code, description, retry_after, chat_id)
        )

    def clear_failures(self) -> None:
        """Forget every injected failure not used yet."""
        self._world.failures.clear()

    # -- updates for tests ------------------------------------------------------------------

    def take_updates(self) -> list[JSON]:
        """Remove and return all pending updates (for feeding Application.process_update)."""
        return self._world.updates.drain()

    async def wait_idle(self, quiet: float = 0.3, timeout: float = 10.0) -> None:  # noqa: ASYNC109
        """Wait until the bot fetched every update and made no API call for `quiet` seconds."""
        world = self._world
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            last = max(world.last_call_at, world.updates.last_fetch_with_updates)
            if world.updates.unfetched() == 0 and time.monotonic() - last >= quiet:
                return
            if loop.time() >= deadline:
                raise TimeoutError(
                    f"bot not idle after {timeout}s ({world.updates.unfetched()} unfetched)"
                )
            await asyncio.sleep(min(0.02, quiet / 4))
