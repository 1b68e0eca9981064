"""The end-to-end harness: the real Application, the real SQLite store and the emulator, in-process.

Updates the emulator produces are fed to the application's update processor (``settle``), as
python-telegram-bot's fetcher feeds them: every waiting update at once, so chats run side by
side while each chat's and each person's updates keep their order. Nothing sleeps. The JobQueue is not started: timed work runs
when a test moves the clock (``advance``), exactly as the scheduler would run it. ``restart``
stops the bot, lets time pass while it is down, and starts a new Application on the same
database, as after a crash.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from bot.adapters.ratelimit import PamojaRateLimiter
from bot.app import ALLOWED_UPDATES, build_application, on_shutdown, on_startup
from bot.context import App
from bot.demo.driver import Driver
from bot.once import carry_out
from bot.settings import Settings
from bot.timeutil import ManualClock
from emulator import Emulator, EmulatorRequest


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


class Harness(Driver):
    def __init__(
        self, settings: Settings, clock: ManualClock, emu: Emulator | None = None
    ) -> None:
        super().__init__(
            emu or Emulator(settings.telegram_token.get_secret_value(), clock=clock.epoch), clock
        )
        self.settings = settings
        self._app: App | None = None
        self._errors = _Collect()
        self.on_build: list[Callable[[App], None]] = []
        self.read_timeout: float | None = 5.0
        """How long the bot waits for each Bot API answer (the fault runs make it short)."""
        self.limiter: PamojaRateLimiter | None = None
        """Telegram's flood limits on the bot's side (off unless a test gives one)."""

    @property
    def app(self) -> App:
        if self._app is None:
            raise RuntimeError("the bot is not running")
        return self._app

    @property
    def errors(self) -> list[logging.LogRecord]:
        """Errors the bot logged (the fixture fails a test that leaves any)."""
        return self._errors.records

    async def boot(self, *, settle: bool = True) -> None:
        """Start the bot (build the Application, open the store, re-arm and run due work);
        without ``settle`` the updates Telegram holds are left for a poller to take."""
        logging.getLogger("bot").addHandler(self._errors)
        app = build_application(
            self.settings,
            request=EmulatorRequest(self.emu, read_timeout=self.read_timeout),
            rate_limit=self.limiter is not None,
            limiter=self.limiter,
            clock=self.clock,
        )
        for hook in self.on_build:
            hook(app)
        self.emu.allowed_updates = ALLOWED_UPDATES  # as run_polling asks for them
        await app.initialize()
        await on_startup(app)
        self._app = app
        await app.bot_data.scheduler.run_due(app)  # what the JobQueue does at once after a start
        if settle:
            await self.settle()

    async def halt(self) -> None:
        """Stop the bot as a shutdown would (the store is closed; the emulator stays)."""
        app = self._app
        self._app = None
        if app is not None:
            await on_shutdown(app)
            await app.shutdown()
        logging.getLogger("bot").removeHandler(self._errors)

    async def restart(self, downtime: float = 0, *, settle: bool = True) -> None:
        """Stop the bot, let ``downtime`` seconds pass while it is down, start it again."""
        await self.halt()
        self.clock.advance(downtime)
        await self.boot(settle=settle)

    async def settle(self) -> None:
        app = self.app
        for _ in range(200):
            updates = self.emu.take_updates()
            if not updates:
                return
            # As the poller and the webhook hand them over: the JSON, to the bot's intake.
            await asyncio.gather(*(carry_out(app, raw) for raw in updates))
        raise RuntimeError("the bot and the emulator keep producing updates")

    async def run_due(self) -> int:
        done = await self.app.bot_data.scheduler.run_due(self.app)
        await self.settle()
        return done
