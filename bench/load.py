"""What people feel under load: round trips over HTTP, Pamoja side by side with bare PTB.

The emulator is served over HTTP (``emulator/server.py``) with Telegram's flood limits on; the
application under test is whatever ``bot.app.build_application`` builds, long polling it by
``getUpdates`` with the ``SafePoller`` as in production (the bare PTB application with PTB's
own Updater). A round trip is timed as a client sees it: from the moment
the update enters the emulator (a person sends it) until the emulator has accepted the bot's
answer into that chat. Both run in this process and event loop (the emulator's work is counted
in every figure alike), so compare them with each other, not with a real network.

Scenarios (one run prints them all, then a table: figure, value, target, met):

* ``background``: 50 group messages a second over 40 groups while ``/rules`` in a group,
  ``/start`` in private and an admin's ``/mute`` (by reply) are timed; the same ``/start``
  round trip for a bare PTB application answering a command (the baseline);
* ``spent budget``: one group's sends for this minute are used up and more answers wait for
  it, then (after 150 background messages, more than one ``getUpdates`` returns) private
  ``/start`` round trips are timed with the background going on;
* ``broadcast``: rules reminders due in 200 groups at once (200 messages queued in the bulk
  lane), then a member asks for support (``/supportnow``): how long until that answer left,
  and how many times the emulator answered 429 in that run.

    .venv/bin/python bench/load.py [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import functools
import logging
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from telegram import Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackContext,
    CommandHandler,
    MessageHandler,
    filters,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.adapters.ratelimit import SEND_METHODS
from bot.app import ALLOWED_UPDATES, build_application
from bot.delivery import outbox
from bot.polling import SafePoller
from bot.settings import Settings
from emulator import Emulator, EmulatorServer, GroupHandle, UserHandle

BACKGROUND_GROUPS = 40
BACKGROUND_PER_SECOND = 50
BROADCAST_GROUPS = 200
AnyApp = Application[Any, Any, Any, Any, Any, Any]
BARE_ERRORS: Counter[str] = Counter()  # what bare PTB's handlers raised, by kind


class Watch:
    """Wraps the emulator's Bot API entry: knows when an answer into a chat was accepted."""

    def __init__(self, emu: Emulator) -> None:
        self.emu = emu
        self.waiting: dict[int, list[asyncio.Future[float]]] = defaultdict(list)
        inner = emu.call

        async def call(token: str, method: str, params: Any, files: Any = None) -> Any:
            answer = await inner(token, method, params, files)
            if method in SEND_METHODS:
                chat = params.get("chat_id")
                with contextlib.suppress(TypeError, ValueError):
                    self._arrived(int(chat))
            return answer

        emu.call = call  # type: ignore[method-assign]

    def _arrived(self, chat_id: int) -> None:
        now = time.perf_counter()
        for future in self.waiting.pop(chat_id, []):
            if not future.done():
                future.set_result(now)

    def expect(self, *chat_ids: int) -> asyncio.Future[float]:
        """A future set when the next send into any of these chats is accepted."""
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        for chat_id in chat_ids:
            self.waiting[chat_id].append(future)
        return future

    async def round_trip(self, act: Callable[[], object], *chat_ids: int) -> float:
        """Milliseconds from ``act()`` (a person sends something) to the answer's arrival."""
        future = self.expect(*chat_ids)
        started = time.perf_counter()
        act()
        return (await asyncio.wait_for(future, 30)) - started


# -- the applications ------------------------------------------------------------------------


def pamoja(folder: Path, url: str, token: str) -> AnyApp:
    settings = Settings(
        _env_file=None,
        telegram_token=SecretStr(token),
        data_key=SecretStr(base64.urlsafe_b64encode(bytes(32)).decode()),
        database_path=folder / "load.sqlite3",
        bot_api_url=url,
    )
    return build_application(settings)


def bare(url: str, token: str) -> AnyApp:
    app = ApplicationBuilder().token(token).base_url(f"{url}/bot").build()

    async def answer(update: Update, _context: object) -> None:
        if update.effective_message is not None:
            await update.effective_message.reply_text("Hello")

    async def nothing(_update: object, _context: object) -> None:
        return None

    async def refused(_update: object, context: CallbackContext[Any, Any, Any, Any]) -> None:
        # Without a rate limiter, bare PTB's group answers are refused (429) under the flood
        # limits: counted, not printed as a traceback.
        BARE_ERRORS[type(context.error).__name__] += 1

    app.add_handler(CommandHandler(("start", "rules", "mute"), answer))
    app.add_handler(MessageHandler(filters.ALL, nothing))
    app.add_error_handler(refused)
    return app


@contextlib.asynccontextmanager
async def served(
    build: Callable[[str, str], AnyApp], *, safe: bool
) -> AsyncIterator[tuple[AnyApp, World]]:
    """An emulator over HTTP (flood limits on), the app polling it, the people set up.
    ``safe``: polled as Pamoja polls in production (``SafePoller``), else by PTB's Updater."""
    emu = Emulator(enforce_flood_limits=True)
    emu.allowed_updates = ALLOWED_UPDATES
    watch = Watch(emu)
    async with EmulatorServer(emu) as server:
        app = build(server.url, emu.token)
        await app.initialize()
        if app.post_init is not None:
            await app.post_init(app)
        world = World(emu, watch)
        await world.setup(app)
        await app.start()
        stop = asyncio.Event()
        poller: asyncio.Task[None] | None = None
        if safe:
            poller = asyncio.create_task(SafePoller(app, ALLOWED_UPDATES).run(stop))
        else:
            assert app.updater is not None
            await app.updater.start_polling(poll_interval=0, timeout=10)
        try:
            yield app, world
        finally:
            stop.set()
            if poller is not None:
                await poller
            elif app.updater is not None:
                await app.updater.stop()
            await app.stop()
            if app.post_shutdown is not None:
                await app.post_shutdown(app)
            await app.shutdown()


class World:
    """The people: an owner who is admin of every group, members, people writing privately."""

    def __init__(self, emu: Emulator, watch: Watch) -> None:
        self.emu, self.watch = emu, watch
        self.owner = emu.add_user("Wanjiru")
        self.groups: list[GroupHandle] = []
        self.members: dict[int, list[UserHandle]] = {}
        self.people = [emu.add_user(f"Person {n}") for n in range(400)]
        self._next_person = 0

    async def setup(self, app: AnyApp) -> None:
        for index in range(BROADCAST_GROUPS):
            members = [self.emu.add_user(f"Member {index}.{n}") for n in range(3)]
            group = self.emu.add_group(f"Peer group {index}", owner=self.owner, members=members)
            self.emu.add_bot_to_group(group, by=self.owner, as_admin=True)
            self.emu.send(group, self.owner, "/setup")
            self.groups.append(group)
            self.members[group.id] = members
        await drain(app, self.emu)

    def person(self) -> UserHandle:
        """Someone who has not written to the bot yet (each /start is a first one)."""
        found = self.people[self._next_person % len(self.people)]
        self._next_person += 1
        return found


async def drain(app: AnyApp, emu: Emulator) -> None:
    """Handle every waiting update directly (set-up, before the bot starts polling)."""
    for _ in range(50):
        batch = emu.take_updates()
        if not batch:
            return
        for raw in batch:
            await app.process_update(Update.de_json(raw, app.bot))


async def background(world: World, stop: asyncio.Event) -> None:
    """Ordinary group messages, ``BACKGROUND_PER_SECOND`` over the first 40 groups."""
    gap, sent = 1 / BACKGROUND_PER_SECOND, 0
    started = time.perf_counter()
    while not stop.is_set():
        group = world.groups[sent % BACKGROUND_GROUPS]
        writer = world.members[group.id][sent % 3]
        world.emu.send(group, writer, "Good morning everyone, how did you sleep?")
        sent += 1
        await asyncio.sleep(max(0.0, started + sent * gap - time.perf_counter()))


# -- the scenarios ---------------------------------------------------------------------------


async def commands_with_background(world: World, samples: int, *, full: bool) -> dict[str, Any]:
    stop = asyncio.Event()
    noise = asyncio.create_task(background(world, stop))
    emu, watch = world.emu, world.watch
    starts, rules, mutes = [], [], []
    try:
        await asyncio.sleep(1)
        warm = world.person()  # the first answer of a run pays for warming up: not counted
        await watch.round_trip(lambda: emu.start_bot(warm), warm.id)
        for n in range(samples):
            person = world.person()
            starts.append(
                await watch.round_trip(functools.partial(emu.start_bot, person), person.id)
            )
            if not full:
                continue
            group = world.groups[BACKGROUND_GROUPS + n]  # groups the noise does not spend
            member = world.members[group.id][0]
            rules.append(
                await watch.round_trip(
                    functools.partial(emu.send, group, member, "/rules"), group.id, member.id
                )
            )
            target = world.members[group.id][1]
            said = emu.send(group, target, "hello")
            mutes.append(
                await watch.round_trip(
                    functools.partial(emu.send, group, world.owner, "/mute 10m", reply_to=said),
                    group.id,
                    world.owner.id,
                )
            )
            await asyncio.sleep(0.05)
    finally:
        stop.set()
        await noise
    return {"start": starts, "rules": rules, "mute": mutes}


async def private_while_budget_spent(app: AnyApp, world: World, samples: int) -> list[float]:
    emu, watch = world.emu, world.watch
    busy = world.groups[-1]
    for _ in range(20):  # this minute's budget of the group, as a burst would spend it
        await app.bot.send_message(busy.id, "…")
    member = world.members[busy.id][0]
    for _ in range(3):
        emu.send(busy, member, "/rules")  # their answers wait for the group's budget
    # With the background traffic, more than the 100 updates one getUpdates returns come
    # after those answers before the first sample: an update left waiting for the budget
    # would keep every later one out of the poller's sight.
    stop = asyncio.Event()
    traffic = asyncio.create_task(background(world, stop))
    try:
        await asyncio.sleep(150 / BACKGROUND_PER_SECOND)
        times = []
        for _ in range(samples):
            person = world.person()
            start = functools.partial(emu.start_bot, person)
            times.append(await watch.round_trip(start, person.id))
    finally:
        stop.set()
        await traffic
    return times


async def critical_behind_broadcast(app: AnyApp, world: World) -> dict[str, float]:
    """Rules reminders due in every group at once; meanwhile a member asks for support (the
    whole round trip), and a help text is queued (from the outbox to the emulator)."""
    emu, watch = world.emu, world.watch
    refusals = emu.flood_refusals
    member, reader = world.person(), world.person()
    for person in (member, reader):  # they have started the bot before
        await watch.round_trip(functools.partial(emu.start_bot, person), person.id)
    data = app.bot_data
    rows = []
    for group in world.groups:
        text = data.texts.t("en", "rules.scheduled_short")
        rows.append(await outbox.enqueue(app, group.id, text, kind="reminder"))
    broadcast_started = time.perf_counter()
    sending = [asyncio.create_task(outbox.deliver_now(app, row)) for row in rows]
    await asyncio.sleep(0.2)  # the broadcast is under way and waiting for budget
    support = await watch.round_trip(partial_send(emu, member, "/supportnow"), member.id)
    await asyncio.sleep(1)
    arrived = watch.expect(reader.id)
    queued = time.perf_counter()
    await outbox.send_critical(
        app, reader.id, "Someone would like to reach you.", kind="help_text"
    )
    help_text = (await asyncio.wait_for(arrived, 30)) - queued
    waiting = sum(1 for task in sending if not task.done())
    await asyncio.gather(*sending)
    return {
        "support": support,
        "help_text": help_text,
        "still_queued": waiting,
        "broadcast": time.perf_counter() - broadcast_started,
        "refusals": emu.flood_refusals - refusals,
    }


def partial_send(emu: Emulator, person: UserHandle, text: str) -> Callable[[], int]:
    """The person writes ``text`` in their private chat with the bot."""
    return functools.partial(emu.send, person, person, text)


# -- the report ------------------------------------------------------------------------------


def pct(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] * 1000


def spread(values: list[float]) -> str:
    if not values:
        return "—"
    return (
        f"p50 {pct(values, 0.5):.0f} / p95 {pct(values, 0.95):.0f} / "
        f"max {max(values) * 1000:.0f} ms"
    )


async def run(quick: bool) -> None:
    samples = 8 if quick else 30
    rows: list[tuple[str, str, str, str]] = []
    with tempfile.TemporaryDirectory(prefix="pamoja-load-") as folder:
        async with served(lambda url, token: bare(url, token), safe=False) as (_app, world):
            base = await commands_with_background(world, samples, full=True)
        async with served(lambda url, token: pamoja(Path(folder), url, token), safe=True) as (
            app,
            world,
        ):
            ours = await commands_with_background(world, samples, full=True)
            spent = await private_while_budget_spent(app, world, samples)
            burst = await critical_behind_broadcast(app, world)

    def row(figure: str, value: str, target: str, met: bool | None) -> None:
        rows.append((figure, value, target, "—" if met is None else ("met" if met else "NOT met")))

    for name, label in (("start", "private /start"), ("rules", "group /rules"), ("mute", "/mute")):
        row(f"bare PTB {label}, background 50/s", spread(base[name]), "baseline", None)
        p95 = pct(ours[name], 0.95) if ours[name] else 0
        target = "p95 < 100 ms" if name == "start" else "—"
        row(f"Pamoja {label}, background 50/s", spread(ours[name]), target,
            p95 < 100 if name == "start" else None)  # fmt: skip
    row("Pamoja private /start, a group's budget spent, background", spread(spent), "p95 < 500 ms",
        pct(spent, 0.95) < 500)  # fmt: skip
    row(f"/supportnow behind {BROADCAST_GROUPS} queued reminders", f"{burst['support']:.2f} s",
        "< 2 s", burst["support"] < 2)  # fmt: skip
    row(f"a help text queued behind the broadcast ({burst['still_queued']:.0f} still queued)",
        f"{burst['help_text']:.2f} s", "< 2 s", burst["help_text"] < 2)  # fmt: skip
    row("429 answers in that run", f"{burst['refusals']:.0f}", "0", burst["refusals"] == 0)
    row("the broadcast took", f"{burst['broadcast']:.1f} s", "—", None)
    row("bare PTB: errors in its handlers", str(dict(BARE_ERRORS) or 0), "—", None)
    width = max(len(r[0]) for r in rows)
    vwidth = max(len(r[1]) for r in rows)
    print(f"Python {sys.version.split()[0]}, {samples} samples per figure, flood limits on")
    print(f"{'figure':<{width}}  {'value':<{vwidth}}  {'target':<13} met")
    for figure, value, target, met in rows:
        print(f"{figure:<{width}}  {value:<{vwidth}}  {target:<13} {met}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer samples")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    asyncio.run(run(args.quick))


if __name__ == "__main__":
    main()
