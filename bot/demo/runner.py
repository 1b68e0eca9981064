"""``python -m bot demo``: the real bot against the Bot API emulator over HTTP, a scripted group.

The emulator is served over HTTP on a free local port, and the bot is built by the same
``build_application`` production uses, pointed at it with ``PAMOJA_BOT_API_URL`` semantics and
long polling. A throw-away database and data key are made for the run. Each scene prints what
people saw. Time is simulated: the bot and the emulator share a clock the demo moves forward.
"""

from __future__ import annotations

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
from bot.settings import Settings
from bot.timeutil import ManualClock
from emulator import Emulator, EmulatorServer


class HttpDriver(Driver):
    """Drives people while the bot polls the emulator over HTTP."""

    def __init__(self, emu: Emulator, clock: ManualClock, app: App) -> None:
        super().__init__(emu, clock)
        self._app = app

    @property
    def app(self) -> App:
        return self._app

    async def settle(self) -> None:
        await self.emu.wait_idle(quiet=0.15, timeout=20)


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
                assert app.updater is not None  # noqa: S101 - built with an updater
                await app.updater.start_polling(
                    poll_interval=0, timeout=1, allowed_updates=ALLOWED_UPDATES
                )
                await app.start()
                try:
                    driver = HttpDriver(emu, clock, app)
                    for title, play in SCENES:
                        mark = emu.transcript_mark()
                        await play(driver)
                        seen = emu.transcript(since=mark)
                        if seen.strip():
                            out.write(f"\n=== {title} ===\n{seen}\n")
                finally:
                    await app.updater.stop()
                    await app.stop()
                    await on_shutdown(app)
    out.write("\nDemo finished: everything above went through the real bot.\n")
    out.flush()
    return 0
