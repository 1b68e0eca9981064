"""Start-up time and memory with a big deployment's database.

Builds, through the repositories in ``bot/storage``, a database of 1,000 groups × 100 members
(people, memberships, group settings, rules and their weekly reminder settings), then for each
size adds that many scheduled actions of the kinds the bot schedules (gate reminders, exclusion
ends, check-ins and admin reminders, weekly rules reminders, peer check-ins, concern timers,
idle conversations, outbox wake-ups, session reminders) spread over the coming four weeks, with
some overdue as after downtime (check-in series among them, of which only the latest is due).
Each size then starts the real Application in a fresh process against the in-process Bot API
emulator, as a restart does (``build_application``, ``initialize``, ``on_startup``), and reports
the time until it is ready, the peak RSS and how many jobs were armed on the JobQueue.

    .venv/bin/python bench/bigdb.py [--sizes 0,1000,10000,100000] [--timeout 300]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from pydantic import SecretStr

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.app import ALLOWED_UPDATES, build_application, on_shutdown, on_startup
from bot.circle.concern import CONCERN_DUE
from bot.crypto import FieldCipher
from bot.delivery import outbox
from bot.moderation.support import KIND_CHECKIN, KIND_END, KIND_REMINDER
from bot.peers.checkins import DUE as PEER_CHECKIN
from bot.records.groups import BotRights
from bot.records.rules import RulesSettings, Schedule
from bot.rules.gate import GATE_REMINDER
from bot.rules.reminders import REMINDER as RULES_REMINDER
from bot.sessions.reminders import KIND as SESSION_REMINDER
from bot.settings import Settings
from bot.storage.store import Store
from bot.talk.relay import IDLE as TALK_IDLE
from bot.timeutil import ManualClock
from emulator import Emulator, EmulatorRequest

GROUPS = 1_000
MEMBERS = 100
FIRST_GROUP_ID = -1002000000000
FIRST_USER_ID = 700_000
NOW = 1_790_000_000
HOUR = 3600
DAY = 24 * HOUR
HORIZON = 28 * DAY
OVERDUE_SHARE = 0.03  # due while the bot was down
KEY = base64.urlsafe_b64encode(bytes(32)).decode()
TARGET_SECONDS = 5.0
TARGET_MIB = 150.0

# kind, share, how the row is keyed (chat and/or person)
KINDS: tuple[tuple[str, float, str], ...] = (
    (GATE_REMINDER, 0.22, "member"),
    (KIND_CHECKIN, 0.18, "member"),
    (KIND_END, 0.10, "member"),
    (KIND_REMINDER, 0.05, "member"),
    (PEER_CHECKIN, 0.12, "person"),
    (RULES_REMINDER, 0.08, "group"),
    (CONCERN_DUE, 0.05, "member"),
    (TALK_IDLE, 0.05, "member"),
    (outbox.KIND, 0.10, "group"),
    (SESSION_REMINDER, 0.05, "group"),
)


def _settings(folder: Path, emu: Emulator) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        telegram_token=SecretStr(emu.token),
        data_key=SecretStr(KEY),
        database_path=folder / "bench.sqlite3",
    )


async def build_base(path: Path) -> None:
    """1,000 groups × 100 members, their settings and rules."""
    store = await Store.open(path, FieldCipher(KEY), ManualClock(NOW))
    rights = BotRights(is_admin=True, can_restrict=True, can_delete=True, can_invite=True)
    try:
        for index in range(GROUPS):
            chat = FIRST_GROUP_ID - index
            async with store.db.transaction():
                await store.groups.upsert(chat, f"Peer group {index}", rights, language="sw")
                await store.groups.update_setting(chat, "rules_gate", 1)
                await store.rules.add_version(chat, "Be kind. What is shared here stays here.", 1)
                await store.rules.save_settings(
                    RulesSettings(chat, Schedule(), reacceptance=False, rules_where="group")
                )
                for seat in range(MEMBERS):
                    user = FIRST_USER_ID + index * MEMBERS + seat
                    await store.users.ensure(user, "sw" if seat % 2 else "en")
                    await store.users.set_membership(chat, user, "member", joined=True)
    finally:
        await store.close()


async def add_actions(path: Path, count: int, seed: int = 13) -> None:
    """``count`` pending actions over the coming four weeks, some overdue."""
    rng = random.Random(seed)
    kinds = [kind for kind, _, _ in KINDS]
    weights = [share for _, share, _ in KINDS]
    keyed = {kind: key for kind, _, key in KINDS}
    store = await Store.open(path, FieldCipher(KEY), ManualClock(NOW))
    try:
        async with store.db.transaction():
            for number in range(count):
                kind = rng.choices(kinds, weights)[0]
                index, seat = rng.randrange(GROUPS), rng.randrange(MEMBERS)
                chat = FIRST_GROUP_ID - index
                user = FIRST_USER_ID + index * MEMBERS + seat
                overdue = rng.random() < OVERDUE_SHARE
                due = NOW - rng.randrange(1, 2 * DAY) if overdue else NOW + rng.randrange(HORIZON)
                if kind == KIND_CHECKIN and overdue:  # daily series missed while down
                    person = rng.randrange(max(1, count // 200))
                    chat = FIRST_GROUP_ID - person // MEMBERS
                    user = FIRST_USER_ID + person
                    due = NOW - rng.randrange(1, 4) * DAY
                await store.scheduled.add(
                    kind,
                    due,
                    chat_id=None if keyed[kind] == "person" else chat,
                    user_id=None if keyed[kind] == "group" else user,
                    payload={"n": number},
                    dedupe_key=f"{kind}:{number}",
                )
    finally:
        await store.close()


async def start_up(folder: Path) -> dict[str, Any]:
    """Start the bot on the database in ``folder`` as after a restart; time it until ready."""
    clock = ManualClock(NOW)
    emu = Emulator(clock=clock.epoch)
    began = time.perf_counter()
    app = build_application(
        _settings(folder, emu), request=EmulatorRequest(emu), rate_limit=False, clock=clock
    )
    emu.allowed_updates = ALLOWED_UPDATES
    await app.initialize()
    await on_startup(app)
    seconds = time.perf_counter() - began
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    assert app.job_queue is not None
    armed = len(app.job_queue.jobs())
    pending = await app.bot_data.store.scheduled.due_count(NOW + 2 * HORIZON)
    await on_shutdown(app)
    await app.shutdown()
    return {"seconds": seconds, "peak_mib": peak_mib, "armed": armed, "pending": pending}


def measure(base: Path, size: int, timeout: float) -> dict[str, Any] | None:
    """One size in a fresh process (so its peak RSS is its own); None if not ready in time."""
    with tempfile.TemporaryDirectory(prefix="pamoja-bigdb-") as name:
        folder = Path(name)
        shutil.copy(base, folder / "bench.sqlite3")
        asyncio.run(add_actions(folder / "bench.sqlite3", size))
        try:
            out = subprocess.run(  # noqa: S603 - this same script
                [sys.executable, __file__, "--only", str(folder)],
                check=True,
                capture_output=True,
                text=True,
                timeout=timeout,
            ).stdout
        except subprocess.TimeoutExpired:
            return None
        result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
        return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="0,1000,10000,100000")
    parser.add_argument("--timeout", type=float, default=300)
    parser.add_argument("--only", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.only:
        print(json.dumps(asyncio.run(start_up(args.only))))
        return
    sizes = [int(size) for size in args.sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="pamoja-bigdb-base-") as name:
        base = Path(name) / "base.sqlite3"
        began = time.perf_counter()
        asyncio.run(build_base(base))
        print(
            f"{GROUPS:,} groups × {MEMBERS} members built in {time.perf_counter() - began:.0f} s; "
            f"Python {sys.version.split()[0]}; targets at 100,000: ready < {TARGET_SECONDS:.0f} s, "
            f"peak RSS < {TARGET_MIB:.0f} MiB"
        )
        print(f"{'actions':>9} {'ready s':>9} {'peak MiB':>9} {'armed jobs':>11} {'pending':>9}")
        for size in sizes:
            result = measure(base, size, args.timeout)
            if result is None:
                print(f"{size:>9,} {'not ready after ' + format(args.timeout, '.0f') + ' s':>31}")
                continue
            ok = result["seconds"] < TARGET_SECONDS and result["peak_mib"] < TARGET_MIB
            print(
                f"{size:>9,} {result['seconds']:>9.2f} {result['peak_mib']:>9.1f} "
                f"{result['armed']:>11,} {result['pending']:>9,}   "
                f"{'within target' if ok else 'OVER TARGET'}",
                flush=True,
            )


if __name__ == "__main__":
    main()
