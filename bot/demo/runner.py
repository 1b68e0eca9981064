"""``python -m bot demo``: the real bot against the Bot API emulator over HTTP, a scripted group.

The emulator is served over HTTP on a free local port, and the bot is built by the same
``build_application`` production uses, pointed at it with ``PAMOJA_BOT_API_URL`` semantics and
long polling. A throw-away database and data key are made for the run. Each scene prints what
people saw. Time is simulated: the bot and the emulator share a clock the demo moves forward.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import secrets
import sys
import tempfile
from pathlib import Path
from typing import TextIO

from pydantic import SecretStr

from bot.app import ALLOWED_UPDATES, build_application, on_shutdown, on_startup
from bot.context import App
from bot.demo.driver import Driver
from bot.demo.scenes import SCENES
from bot.polling import SafePoller
from bot.settings import Settings
from bot.timeutil import ManualClock
from bot.updates import ChatOrderedProcessor
from emulator import Emulator, EmulatorServer

SETTLE_SECONDS = 20


class HttpDriver(Driver):
    """Drives people while the bot polls the emulator over HTTP."""

    def __init__(
        self, emu: Emulator, clock: ManualClock, app: App, polling: asyncio.Task[None]
    ) -> None:
        super().__init__(emu, clock)
        self._app = app
        self._polling = polling

    @property
    def app(self) -> App:
        return self._app

    async def settle(self) -> None:
        """Until the bot fetched everything, made no call for a moment and handles nothing
        (an update may take a while without a call: screening, the database); after it was
        busy, a fresh quiet moment (what it did last may have been a call)."""
        processor = self._app.update_processor
        loop = asyncio.get_running_loop()
        deadline = loop.time() + SETTLE_SECONDS
        was_busy = False
        while True:
            if self._polling.done():  # the poller ended (a refused token, a bug): say why
                await self._polling
                raise RuntimeError("the bot stopped polling")
            await self.emu.wait_idle(quiet=0.15, timeout=SETTLE_SECONDS)
            busy = isinstance(processor, ChatOrderedProcessor) and processor.busy_lanes > 0
            if not busy and not was_busy:
                return
            if loop.time() >= deadline:
                raise TimeoutError(f"the bot still handles updates after {SETTLE_SECONDS} s")
            was_busy = busy
            if busy:
                await asyncio.sleep(0.02)


async def run_demo(out: TextIO = sys.stdout) -> int:
    logging.basicConfig(level=logging.WARNING)
    clock = ManualClock()
    emu = Emulator(clock=clock.epoch)
    with tempfile.TemporaryDirectory(prefix="pamoja-demo-") as folder:
        async with EmulatorServer(emu) as server:
            settings = Settings(
                _env_file=None,
                telegram_token=SecretStr(emu.token),
                data_key=SecretStr(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()),
                bot_api_url=server.url,
                database_path=Path(folder) / "demo.sqlite3",
            )
            # The rate limiter is off only so the demo does not wait out Telegram's
            # 20-messages-a-minute group limit in real time; everything else is production.
            app = build_application(settings, rate_limit=False, clock=clock)
            async with app:
                await on_startup(app)
                await app.start()
                # Polled as in production (``bot/polling.py``), with a short long poll.
                stop = asyncio.Event()
                polling = asyncio.create_task(
                    SafePoller(app, ALLOWED_UPDATES, poll_seconds=1).run(stop)
                )
                try:
                    driver = HttpDriver(emu, clock, app, polling)
                    for title, play in SCENES:
                        mark = emu.transcript_mark()
                        await play(driver)
                        seen = emu.transcript(since=mark)
                        if seen.strip():
                            out.write(f"\n=== {title} ===\n{seen}\n")
                finally:
                    stop.set()
                    await polling
                    await app.stop()
                    await on_shutdown(app)
    out.write("\nDemo finished: everything above went through the real bot.\n")
    out.flush()
    return 0
