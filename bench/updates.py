"""Throughput and memory of the group-message path: full Pamoja vs a bare PTB application.

Feeds the same batches of realistic group-message updates (``bench/workload.py``: JSON as
Telegram sends it, many groups, members known to the bot and visitors it has never seen, links,
replies, several languages) through

* the full Pamoja ``Application`` (every handler, the real SQLite store, groups set up through
  the bot itself and their members taught to it by a first message each), and
* a bare python-telegram-bot ``Application`` with one no-op ``MessageHandler``,

each given the updates as the JSON Telegram sends and taking them through its own intake
(Pamoja's ``carry_out``, as its poller and webhook hand them over: an ordinary group message
read from its JSON, the record of updates carried out; PTB's ``Update.de_json`` and update
processor, as its own polling does), both talking to the in-process Bot API emulator. Each
application lives in its own process
(so peak memory is its own) and is set up once; then rounds alternate, Pamoja then bare, on the
same batch per round (after one warm-up round each). Prints every round's updates/s and ratio,
the median ratio over the rounds, the Bot API calls Pamoja made for the ordinary messages
(should be none), and peak memory.

    .venv/bin/python bench/updates.py [--updates 20000] [--rounds 5]
    .venv/bin/python bench/updates.py --profile pamoja [--updates 5000]   # cProfile, top items
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import cProfile
import gc
import json
import pstats
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from pydantic import SecretStr
from telegram import Update
from telegram.ext import Application, ApplicationBuilder, MessageHandler, filters

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.workload import FIRST_GROUP_ID, GROUPS, group_message, known_members, updates
from bot.app import ALLOWED_UPDATES, build_application, on_shutdown, on_startup
from bot.once import carry_out
from bot.settings import Settings
from bot.timeutil import ManualClock
from emulator import Emulator, EmulatorRequest

AnyApp = Application[Any, Any, Any, Any, Any, Any]
WARM_UP_ROUND = 0


async def _noop(_update: object, _context: object) -> None:
    return None


async def feed_all(app: AnyApp, batch: list[dict[str, Any]], *, pamoja: bool = True) -> None:
    """Hand each update, as the JSON Telegram sends, to the application's own intake:
    Pamoja's is the one its poller and webhook use (``bot.once.carry_out``: an ordinary group
    message read from its JSON, anything else by the library; the update processor; the
    record of updates carried out); bare PTB's reads it (``Update.de_json``) and hands it to
    its update processor, as its own polling does."""
    for raw in batch:
        if pamoja:
            await carry_out(app, raw)
        else:
            update = Update.de_json(raw, app.bot)
            await app.update_processor.process_update(update, app.process_update(update))


def introductions() -> Iterator[dict[str, Any]]:
    """One first message from every known member, so that the bot knows them all."""
    rng = random.Random(1)
    for update_id, (chat, member) in enumerate(known_members(), start=10_000_000):
        yield group_message(rng, update_id, update_id, chat, member)


async def pamoja_app(folder: Path, emu: Emulator, clock: ManualClock) -> AnyApp:
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
    await feed_all(app, emu.take_updates())
    await feed_all(app, list(introductions()))
    await _check_set_up(app)
    return app


async def _check_set_up(app: AnyApp) -> None:
    """The workload must not skip Pamoja's work: every group set up, its members known."""
    store = app.bot_data.store
    for index in range(GROUPS):
        chat_id = FIRST_GROUP_ID - index
        if await store.groups.get(chat_id) is None:
            raise SystemExit(f"group {index} was not set up: the benchmark would skip its work")
    missing = sum(not store.users.known_member(c, m) for c, m in known_members())
    if missing:
        raise SystemExit(f"{missing} members are not known to the bot after their first message")


async def bare_app(emu: Emulator) -> AnyApp:
    app = ApplicationBuilder().token(emu.token).request(EmulatorRequest(emu)).build()
    app.add_handler(MessageHandler(filters.ALL, _noop))
    await app.initialize()
    return app


class Worker:
    """One application in this process, set up once, running a round on each request."""

    def __init__(self, which: str, count: int) -> None:
        self.which, self.count = which, count
        self.loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self.loop)
        self.clock = ManualClock()
        self.folder = tempfile.TemporaryDirectory(prefix="pamoja-bench-")
        self.emu = Emulator(clock=self.clock.epoch)
        if which == "pamoja":
            made = pamoja_app(Path(self.folder.name), self.emu, self.clock)
        else:
            made = bare_app(self.emu)
        self.app = self.loop.run_until_complete(made)
        self.calls_before = len(self.emu.calls)
        self.fed = 0

    def round(self, round_no: int) -> float:
        """Updates per second over this round's batch."""
        batch = list(updates(self.count, round_no=round_no))
        gc.collect()
        start = time.perf_counter()
        self.loop.run_until_complete(feed_all(self.app, batch, pamoja=self.which == "pamoja"))
        elapsed = time.perf_counter() - start
        self.fed += len(batch)
        return len(batch) / elapsed

    def close(self) -> dict[str, float]:
        calls = len(self.emu.calls) - self.calls_before
        if self.which == "pamoja":
            self.loop.run_until_complete(on_shutdown(self.app))
        self.loop.run_until_complete(self.app.shutdown())
        self.loop.close()
        self.folder.cleanup()
        peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return {"calls": calls, "fed": self.fed, "peak_mib": peak_kib / 1024}


def serve(which: str, count: int) -> None:
    """Worker process: answer "round N" with that round's rate, "close" with the totals."""
    worker = Worker(which, count)
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        command, _, arg = line.strip().partition(" ")
        if command == "round":
            print(json.dumps({"rate": worker.round(int(arg))}), flush=True)
        elif command == "close":
            print(json.dumps(worker.close()), flush=True)
            return


def profile(which: str, count: int, top: int) -> None:
    """cProfile of one round after the warm-up: the top items by own time."""
    worker = Worker(which, count)
    worker.round(WARM_UP_ROUND)
    profiler = cProfile.Profile()
    profiler.enable()
    worker.round(1)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("tottime").print_stats(top)
    worker.close()


class Remote:
    def __init__(self, which: str, count: int) -> None:
        self.process = subprocess.Popen(  # noqa: S603 - this same script
            [sys.executable, __file__, "--updates", str(count), "--serve", which],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.ask(None)

    def ask(self, command: str | None) -> dict[str, Any]:
        pipe_in: IO[str] | None = self.process.stdin
        pipe_out: IO[str] | None = self.process.stdout
        if pipe_in is None or pipe_out is None:
            raise SystemExit("the benchmark worker has no pipes")
        if command is not None:
            pipe_in.write(command + "\n")
            pipe_in.flush()
        line = pipe_out.readline()
        if not line:
            raise SystemExit(f"the benchmark worker stopped (exit {self.process.wait()})")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def close(self) -> dict[str, Any]:
        totals = self.ask("close")
        self.process.wait()
        return totals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--updates", type=int, default=20_000, help="messages per round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--serve", choices=("pamoja", "bare"), help=argparse.SUPPRESS)
    parser.add_argument("--profile", choices=("pamoja", "bare"), help="profile one round")
    parser.add_argument("--top", type=int, default=25, help="items the profile shows")
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.updates)
        return
    if args.profile:
        profile(args.profile, args.updates, args.top)
        return
    pamoja, bare = Remote("pamoja", args.updates), Remote("bare", args.updates)
    for worker in (pamoja, bare):
        worker.ask(f"round {WARM_UP_ROUND}")
    print(
        f"{args.updates:,} group messages a round over {GROUPS} groups, Python {sys.version.split()[0]}"
    )
    ratios = []
    for round_no in range(1, args.rounds + 1):
        ours = pamoja.ask(f"round {round_no}")["rate"]
        theirs = bare.ask(f"round {round_no}")["rate"]
        ratios.append(ours / theirs)
        print(
            f"  round {round_no}: Pamoja {ours:>7,.0f}/s   bare PTB {theirs:>7,.0f}/s   "
            f"ratio {ours / theirs:.2f}"
        )
    ours_total, theirs_total = pamoja.close(), bare.close()
    print(f"median ratio over {args.rounds} alternating rounds: {statistics.median(ratios):.2f}")
    for label, totals in (("bare PTB", theirs_total), ("Pamoja", ours_total)):
        print(f"{label:>9}: peak RSS {totals['peak_mib']:6.1f} MiB")
    print(
        "Bot API calls Pamoja made for these ordinary messages: "
        f"{ours_total['calls']:.0f} over {ours_total['fed']:,.0f} messages"
    )


if __name__ == "__main__":
    main()
