"""Soak: the bot as a real process, killed with SIGKILL at random points, restarted on the same
database; nothing acknowledged may be lost, nothing carried out twice.

    python -m bench.soak --ops 500 --seed 1

The emulator is served over HTTP by this process (it outlives every restart of the bot, as
Telegram does). People act in groups and in private — a member's first /start, private
commands, a newcomer joining behind the rules gate and agreeing, /warn, /exclude for a minute,
/report — without waiting for the bot, so updates are queued and being handled when the kill
comes. At the end (after a last, graceful stop) it checks ``PRAGMA integrity_check``, that every
operation acknowledged before a kill is still in the database, that every operation was carried
out or answered, that none was carried out twice, and that every exclusion ended (how long after
it was due, and after the restart when it fell due while the bot was down). It prints every
figure and how long the run took.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import sqlite3
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from tempfile import TemporaryDirectory

from emulator import Emulator, EmulatorServer, GroupHandle, UserHandle

ROOT = Path(__file__).resolve().parents[1]
KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="  # a fixed test key: the data is throwaway
KINDS = {  # weights
    "start": 3,
    "command": 3,
    "join": 3,
    "agree": 3,
    "warn": 2,
    "exclude": 2,
    "report": 2,
}
PRIVATE_COMMANDS = ("/help", "/privacy", "/rules", "/mydata")
OPS_PER_GROUP = 10  # keeps each group within Telegram's 20 messages a minute burst
EXCLUSION = 60  # seconds: the shortest /exclude


@dataclass
class Op:
    number: int
    kind: str
    user: UserHandle
    chat_id: int
    message_id: int = 0  # the command's message (or the reported message for /report)
    group: GroupHandle | None = None
    acknowledged: bool = False


@dataclass
class Group:
    handle: GroupHandle
    owner: UserHandle
    members: list[UserHandle]
    welcomed: list[UserHandle] = field(default_factory=list)  # joined, not yet agreeing


@dataclass
class Report:
    ops: int
    kills: int
    seconds: float
    integrity: str
    acknowledged: int
    acknowledged_missing: int
    lost: list[str]
    duplicates: list[str]
    by_kind: Counter[str]
    exclusions: int
    exclusions_ended: int
    worst_late: float  # seconds after it was due, the bot running
    worst_after_restart: float  # seconds after the restart, for those due while it was down
    due_while_down: int
    tracebacks: int

    def lines(self) -> list[str]:
        return [
            f"soak: {self.ops} operations ({dict(sorted(self.by_kind.items()))}), "
            f"{self.kills} SIGKILLs, {self.seconds:.1f} s",
            f"integrity_check: {self.integrity}",
            f"acknowledged before a kill or the end: {self.acknowledged}, "
            f"missing afterwards: {self.acknowledged_missing}",
            f"lost (neither carried out nor answered): {len(self.lost)} {self.lost}",
            f"carried out twice: {len(self.duplicates)} {self.duplicates}",
            f"exclusions ended: {self.exclusions_ended} of {self.exclusions}; "
            f"worst {self.worst_late:.1f} s after due while running; "
            f"{self.due_while_down} due while down, ended at most "
            f"{self.worst_after_restart:.1f} s after the restart",
            f"tracebacks in the bot's output: {self.tracebacks}",
        ]


class BotProcess:
    """``python -m bot`` against the emulator, on one database, started and killed at will."""

    def __init__(self, emu: Emulator, url: str, folder: Path) -> None:
        self.emu = emu
        self.database = folder / "soak.sqlite3"
        self.log = folder / "bot.log"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("PAMOJA_")}
        self.env.update(
            PAMOJA_TELEGRAM_TOKEN=emu.token,
            PAMOJA_BOT_API_URL=url,
            PAMOJA_DATABASE_PATH=str(self.database),
            PAMOJA_DATA_KEY=KEY,
            PAMOJA_LOG_LEVEL="WARNING",
            PYTHONUNBUFFERED="1",
        )
        self.process: asyncio.subprocess.Process | None = None
        self.ups: list[tuple[float, float]] = []  # (killed or stopped at, ready again at)
        self.down_since = 0.0

    async def start(self) -> None:
        begun = time.time()
        with self.log.open("ab") as out:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", cwd=ROOT, env=self.env, stdout=out, stderr=out
            )
        if not await until(
            lambda: any(c.at >= begun for c in self.emu.calls_to("getUpdates")), 60
        ):
            raise RuntimeError("the bot did not start:\n" + self.tail())
        if self.down_since:
            self.ups.append((self.down_since, time.time()))

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]

    async def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        await self.process.wait()
        self.down_since = time.time()

    def end(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.kill()

    async def stop(self) -> int:
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        return await asyncio.wait_for(self.process.wait(), 60)


async def until(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.05)
    return True


class Soak:
    def __init__(self, emu: Emulator, bot: BotProcess, ops: int, seed: int, kills: int) -> None:
        self.emu = emu
        self.bot = bot
        self.total = ops
        self.random = random.Random(seed)
        self.kill_chance = kills / max(ops, 1)
        self.ops: list[Op] = []
        self.groups: list[Group] = []
        self.kills = 0
        self.people = 0

    def person(self) -> UserHandle:
        self.people += 1
        return self.emu.add_user(f"Member{self.people}")

    async def set_up(self) -> None:
        for number in range(max(2, self.total // OPS_PER_GROUP)):
            owner = self.person()
            members = [self.person() for _ in range(OPS_PER_GROUP)]
            group = self.emu.add_group(f"Group {number}", owner=owner, members=members)
            self.emu.start_bot(owner)  # reports reach the admin privately
            self.emu.add_bot_to_group(group, by=owner, as_admin=True)
            self.emu.send(group, owner, "/setup")
            self.groups.append(Group(group, owner, members))
        await self.emu.wait_idle(quiet=0.5, timeout=120)

    async def drive(self) -> None:
        for number in range(self.total):
            self.ops.append(self.act(number, self.choose()))
            await asyncio.sleep(self.random.uniform(0, 0.03))
            if self.random.random() < self.kill_chance:
                await self.crash()

    async def agree_all(self) -> None:
        """Newcomers whose welcome came after the driving (welcomes wait out a short window,
        and kills) tap "I agree" now, with a kill among them."""
        await until(
            lambda: all(self.agree_button(g, u) for g in self.groups for u in g.welcomed), 15
        )
        kill_at = self.random.randint(0, max(0, sum(len(g.welcomed) for g in self.groups) - 1))
        while self.agreeable():
            self.ops.append(self.act(len(self.ops), "agree"))
            await asyncio.sleep(self.random.uniform(0, 0.03))
            kill_at -= 1
            if kill_at == 0:
                await self.crash()

    def choose(self) -> str:
        kinds = [k for k in KINDS if k != "agree" or self.agreeable()]
        return self.random.choices(kinds, [KINDS[k] for k in kinds])[0]

    def agreeable(self) -> bool:
        return any(self.agree_button(g, u) for g in self.groups for u in g.welcomed)

    def agree_button(self, group: Group, user: UserHandle) -> tuple[int, str] | None:
        own = (f"rules:agree:{group.handle.id}:{user.id}", f"rules:agree:{group.handle.id}:0")
        for message in reversed(self.emu.bot_messages(group.handle)):
            for button in message.buttons():
                if button.get("callback_data") in own:
                    return message.message_id, str(button["callback_data"])
        return None

    def act(self, number: int, kind: str) -> Op:
        group = self.random.choice(self.groups)
        if kind == "start":
            user = self.person()
            return Op(number, kind, user, user.id, self.emu.start_bot(user))
        if kind == "command":
            user = self.person()
            self.emu.start_bot(user)
            text = self.random.choice(PRIVATE_COMMANDS)
            return Op(number, kind, user, user.id, self.emu.send(user, user, text))
        if kind == "join":
            user = self.person()
            self.emu.join(group.handle, user)
            group.welcomed.append(user)
            return Op(number, kind, user, group.handle.id, group=group.handle)
        if kind == "agree":
            for each in self.random.sample(self.groups, len(self.groups)):
                for user in list(each.welcomed):
                    button = self.agree_button(each, user)
                    if button is not None:
                        each.welcomed.remove(user)
                        self.emu.press(user, each.handle, button[0], button[1])
                        return Op(number, kind, user, each.handle.id, group=each.handle)
            raise RuntimeError("no welcome to agree to")
        target = group.members.pop() if group.members else self.person()
        said = self.emu.send(group.handle, target, "I am having a hard day")
        if kind == "report":
            reporter = self.person()
            self.emu.join(group.handle, reporter)
            self.emu.send(group.handle, reporter, "/report", reply_to=said)
            return Op(number, kind, target, group.handle.id, said, group.handle)
        text = "/warn please be kind" if kind == "warn" else f"/exclude {EXCLUSION}s a break"
        command = self.emu.send(group.handle, group.owner, text, reply_to=said)
        return Op(number, kind, target, group.handle.id, command, group.handle)

    async def crash(self) -> None:
        """SIGKILL at this point; what was acknowledged so far must survive."""
        self.acknowledge()
        await self.bot.kill()
        self.kills += 1
        for _ in range(self.random.randint(0, 3)):  # people go on while the bot is down
            self.ops.append(self.act(len(self.ops), self.choose_while_down()))
        await asyncio.sleep(self.random.uniform(0, 0.5))
        await self.bot.start()

    def choose_while_down(self) -> str:
        return self.random.choice(["start", "command", "warn"])  # never "agree": no button

    def acknowledge(self) -> None:
        for op in self.ops:
            op.acknowledged = op.acknowledged or answered(self.emu, op)


def answered(emu: Emulator, op: Op) -> bool:
    """Did the person see the bot carry the operation out (or answer it)?"""
    if op.kind in ("start", "command"):
        return any(m.message_id > op.message_id for m in emu.bot_messages(op.user))
    if op.kind == "join":  # gated by the rules (and perhaps already agreed since)
        return any(
            c.params.get("user_id") in (op.user.id, str(op.user.id))
            and str(c.params.get("chat_id")) == str(op.chat_id)
            for c in emu.calls_to("restrictChatMember")
        )
    if op.kind == "agree":
        return emu.member(op.chat_id, op.user).status == "member"
    if op.kind == "report":
        return any(m.deleted for m in emu.messages(op.chat_id) if m.reply_to == op.message_id)
    command = emu.message(op.chat_id, op.message_id)
    return command is None or command.deleted or _replied_after(emu, op)


def _replied_after(emu: Emulator, op: Op) -> bool:
    return any(m.message_id > op.message_id for m in emu.bot_messages(op.chat_id))


class Records:
    """The database after the run, read directly (the bot is stopped)."""

    def __init__(self, path: Path) -> None:
        self.db = sqlite3.connect(path)

    def integrity(self) -> str:
        return str(self.db.execute("PRAGMA integrity_check").fetchone()[0])

    def count(self, sql: str, *params: object) -> int:
        return int(self.db.execute(sql, params).fetchone()[0])

    def stored(self, op: Op) -> int:
        """How many times the operation's record is there (None-kinds: answers only)."""
        if op.kind == "warn":
            sql = "SELECT COUNT(*) FROM mod_warnings WHERE chat_id = ? AND user_id = ?"
        elif op.kind == "exclude":
            sql = (
                "SELECT COUNT(*) FROM mod_sanctions WHERE chat_id = ? AND user_id = ? "
                "AND kind = 'exclude'"
            )
        elif op.kind == "report":
            return self.count(
                "SELECT COUNT(*) FROM mod_reports WHERE chat_id = ? AND message_id = ?",
                op.chat_id,
                op.message_id,
            )
        elif op.kind == "join":
            sql = (
                "SELECT (SELECT COUNT(*) FROM rules_gate WHERE chat_id = ?1 AND user_id = ?2) "
                "+ (SELECT COUNT(*) FROM rules_acceptances WHERE chat_id = ?1 AND user_id = ?2)"
            )
        elif op.kind == "agree":
            sql = "SELECT COUNT(*) FROM rules_acceptances WHERE chat_id = ? AND user_id = ?"
        else:
            return 1
        return self.count(sql, op.chat_id, op.user.id)

    def exclusions(self) -> list[tuple[int, int, int | None]]:
        rows = self.db.execute(
            "SELECT ends_at, status = 'ended', finished_at FROM mod_sanctions "
            "WHERE kind = 'exclude'"
        ).fetchall()
        return [(int(a), int(b), None if c is None else int(c)) for a, b, c in rows]


def twice(emu: Emulator, records: Records, op: Op) -> bool:
    if op.kind in ("warn", "exclude"):
        return records.stored(op) > 1
    if op.kind in ("start", "command"):
        texts = [m.text for m in emu.bot_messages(op.user) if m.message_id > op.message_id]
        return len(texts) != len(set(texts))
    return False


async def settled(emu: Emulator, seconds: float) -> None:
    """Wait until every update was confirmed by the bot, then until it is quiet again."""
    deadline = time.monotonic() + seconds
    while emu.pending_update_ids():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{len(emu.pending_update_ids())} updates never confirmed")
        await asyncio.sleep(0.2)
    await emu.wait_idle(quiet=1.0, timeout=max(1.0, deadline - time.monotonic()))


async def drive(
    emu: Emulator, bot: BotProcess, ops: int, seed: int, kills: int | None, *, wait_due: bool
) -> tuple[Soak, int]:
    await bot.start()
    run = Soak(emu, bot, ops, seed, kills if kills is not None else max(3, ops // 28))
    await run.set_up()
    await run.drive()
    await run.agree_all()
    try:
        await emu.wait_idle(quiet=1.0, timeout=300)
        # Quiet is not done: a send waiting for a group's budget makes no call for up to a
        # minute. Done is when Telegram holds no update the bot has not confirmed.
        await settled(emu, seconds=300)
    except TimeoutError as error:
        raise RuntimeError(f"{error}; the bot's output ends:\n{bot.tail()}") from None
    if wait_due and any(op.kind == "exclude" for op in run.ops):
        await asyncio.sleep(EXCLUSION + 5)
        await emu.wait_idle(quiet=1.0, timeout=120)
    run.acknowledge()
    return run, await bot.stop()


async def soak(ops: int, seed: int, *, kills: int | None = None, wait_due: bool = True) -> Report:
    began = time.monotonic()
    emu = Emulator()
    with TemporaryDirectory(prefix="pamoja-soak-") as folder:
        async with EmulatorServer(emu) as server:
            bot = BotProcess(emu, server.url, Path(folder))
            try:
                run, code = await drive(emu, bot, ops, seed, kills, wait_due=wait_due)
            finally:
                bot.end()  # never left running after a failure
            records = Records(bot.database)
            report = evaluate(run, records, bot, time.monotonic() - began)
            output = bot.log.read_text(errors="replace")
        if code != 0:
            report.lost.append(f"the last stop exited {code}")
    report.tracebacks = output.count("Traceback")
    return report


def evaluate(run: Soak, records: Records, bot: BotProcess, seconds: float) -> Report:
    lost = [
        f"{op.number}:{op.kind}"
        for op in run.ops
        if not (answered(run.emu, op) and records.stored(op) > 0)
    ]
    missing = sum(1 for op in run.ops if op.acknowledged and records.stored(op) == 0)
    duplicates = [f"{op.number}:{op.kind}" for op in run.ops if twice(run.emu, records, op)]
    exclusions = records.exclusions()
    ended = [(due, done) for due, status, done in exclusions if status and done is not None]
    late, after_restart, while_down = 0.0, 0.0, 0
    for due, done in ended:
        outage = next(((down, up) for down, up in bot.ups if down <= due < up), None)
        if outage is None:
            late = max(late, float(done - due))
        else:
            while_down += 1
            after_restart = max(after_restart, done - outage[1])
    return Report(
        ops=len(run.ops),
        kills=run.kills,
        seconds=seconds,
        integrity=records.integrity(),
        acknowledged=sum(1 for op in run.ops if op.acknowledged),
        acknowledged_missing=missing,
        lost=lost,
        duplicates=duplicates,
        by_kind=Counter(op.kind for op in run.ops),
        exclusions=len(exclusions),
        exclusions_ended=len(ended),
        worst_late=late,
        worst_after_restart=after_restart,
        due_while_down=while_down,
        tracebacks=0,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.soak", description=__doc__)
    parser.add_argument("--ops", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--kills", type=int, default=None, help="about how many SIGKILLs")
    args = parser.parse_args(argv)
    report = asyncio.run(soak(args.ops, args.seed, kills=args.kills))
    for line in report.lines():
        print(line)
    bad = report.lost or report.acknowledged_missing or report.integrity != "ok"
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
