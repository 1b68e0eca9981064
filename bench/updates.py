"""Throughput and memory of the group-message path: full Pamoja vs a bare PTB application.

Feeds the same batch of realistic group-message updates (``bench/workload.py``: JSON as Telegram
sends it, many groups and members) through

* the full Pamoja ``Application`` (every handler, the real SQLite store, groups set up through
  the bot itself), and
* a bare python-telegram-bot ``Application`` with one no-op ``MessageHandler``,

both talking to the in-process Bot API emulator, and prints updates per second for each, their
ratio, the Bot API calls Pamoja made for ordinary messages (should be none), and peak memory.

    .venv/bin/python bench/updates.py [--updates 20000]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import gc
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from telegram import Update
from telegram.ext import Application, ApplicationBuilder, MessageHandler, filters

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.workload import FIRST_GROUP_ID, GROUPS, updates
from bot.app import ALLOWED_UPDATES, build_application, on_shutdown, on_startup
from bot.settings import Settings
from bot.timeutil import ManualClock
from emulator import Emulator, EmulatorRequest

Feed = Callable[[list[dict[str, Any]]], Awaitable[None]]


async def _noop(_update: object, _context: object) -> None:
    return None


async def feed_all(
    app: Application[Any, Any, Any, Any, Any, Any], batch: list[dict[str, Any]]
) -> None:
    for raw in batch:
        await app.process_update(Update.de_json(raw, app.bot))


def measure(run: Callable[[], Awaitable[None]], count: int) -> float:
    """Updates per second, best of three runs."""
    best = float("inf")
    for _ in range(3):
        gc.collect()
        start = time.perf_counter()
        asyncio.get_event_loop().run_until_complete(run())
        best = min(best, time.perf_counter() - start)
    return count / best


async def pamoja_app(folder: Path, emu: Emulator, clock: ManualClock) -> Any:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        telegram_token=SecretStr(emu.token),
        data_key=SecretStr(base64.urlsafe_b64encode(bytes(32)).decode()),
        database_path=folder / "bench.sqlite3",
    )
    app = build_application(settings, request=EmulatorRequest(emu), rate_limit=False, clock=clock)
    emu.allowed_updates = ALLOWED_UPDATES
    await app.initialize()
    await on_startup(app)
    owner = emu.add_user("Owner")
    for index in range(GROUPS):
        group = emu.add_group(f"Peer group {index}", owner=owner, chat_id=FIRST_GROUP_ID - index)
        emu.add_bot_to_group(group, by=owner, as_admin=True)
        emu.send(group, owner, "/setup")
    for raw in emu.take_updates():
        await app.process_update(Update.de_json(raw, app.bot))
    return app


async def bare_app(emu: Emulator) -> Any:
    app = ApplicationBuilder().token(emu.token).request(EmulatorRequest(emu)).build()
    app.add_handler(MessageHandler(filters.ALL, _noop))
    await app.initialize()
    return app


def run_one(which: str, count: int) -> dict[str, float]:
    """One application in this process: its rate, API calls per run and peak RSS."""
    batch = list(updates(count))
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    clock = ManualClock()
    with tempfile.TemporaryDirectory(prefix="pamoja-bench-") as folder:
        emu = Emulator(clock=clock.epoch)
        if which == "pamoja":
            app = loop.run_until_complete(pamoja_app(Path(folder), emu, clock))
        else:
            app = loop.run_until_complete(bare_app(emu))
        calls_before = len(emu.calls)
        rate = measure(lambda: feed_all(app, batch), len(batch))
        calls = (len(emu.calls) - calls_before) / 3
        if which == "pamoja":
            loop.run_until_complete(on_shutdown(app))
        loop.run_until_complete(app.shutdown())
    loop.close()
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"rate": rate, "calls": calls, "peak_mib": peak_kib / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--updates", type=int, default=20_000)
    parser.add_argument("--only", choices=("pamoja", "bare"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.only:
        print(json.dumps(run_one(args.only, args.updates)))
        return
    results: dict[str, dict[str, float]] = {}
    for which in ("bare", "pamoja"):  # each in its own process, so peak memory is its own
        out = subprocess.run(  # noqa: S603 - this same script
            [sys.executable, __file__, "--updates", str(args.updates), "--only", which],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        results[which] = json.loads(out.strip().splitlines()[-1])
    bare, pamoja = results["bare"], results["pamoja"]
    print(f"{args.updates:,} group messages over {GROUPS} groups, Python {sys.version.split()[0]}")
    for label, result in (("bare PTB", bare), ("Pamoja", pamoja)):
        print(
            f"{label:>9}: {result['rate']:>9,.0f} updates/s   peak RSS {result['peak_mib']:6.1f} MiB"
        )
    print(f"    ratio: Pamoja / bare PTB = {pamoja['rate'] / bare['rate']:.2f}")
    print(f"Bot API calls Pamoja made for these ordinary messages: {pamoja['calls']:.0f} per run")


if __name__ == "__main__":
    main()
