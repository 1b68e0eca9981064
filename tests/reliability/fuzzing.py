"""The fuzzing world: the real bot (every handler, real SQLite) against the emulator, fed
generated updates the way the polling loop is: ``getUpdates`` through the bot's own transport
(so an update python-telegram-bot cannot read meets the same path as in production), then
``Application.process_update`` for each.

``Fuzz.play`` carries out one generated action (a person writes, edits, forwards, presses,
opens a deep link, joins, leaves; a channel posts; Telegram sends an update of a kind or shape
the bot never asked for) and counts what happened:

* ``updates``: updates the bot was handed;
* ``errors``: exceptions that reached the error handler other than a deliberate kind refusal
  (``UserFacingError``), plus ERROR lines logged by anything;
* ``stalls``: an update that took longer than ``STALL_SECONDS``, or a fetch that could not
  make progress (the same updates fetched again and again).
"""

from __future__ import annotations

import asyncio
import logging
import time
import traceback
from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.ext import CommandHandler

from bot.context import App, Context
from bot.errors import UserFacingError
from bot.handlers import router
from bot.logs import install_privacy, uninstall_privacy
from bot.once import carry_out
from bot.polling import fetch_updates
from emulator import EmulatorError, GroupHandle, UserHandle
from emulator.world import JSON
from tests.support import Harness

STALL_SECONDS = 10.0
BIG = [
    "99999999999999999999",
    "-99999999999999999999",
    "18446744073709551616",
    "9223372036854775808",
    "-9223372036854775809",
    "9223372036854775807",
    "-1000000000000000000000",
    "00000000000000000000000001",
    "²",
    "٣٤",
    "１２",
]


class _ErrorLines(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.name}: {record.getMessage()}")


@dataclass
class Figures:
    updates: int = 0
    actions: int = 0
    refused: int = 0  # actions the Telegram app itself would not allow (the emulator refuses)
    errors: int = 0
    stalls: int = 0
    slowest: float = 0.0
    unreadable: int = 0  # updates python-telegram-bot could not read: stepped over, counted
    withheld: int = 0  # log lines the privacy filter could not clean
    seen: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"fuzz: {self.updates} updates from {self.actions} actions "
            f"({self.refused} refused by the app; {self.unreadable} unreadable, skipped), "
            f"{self.errors} unhandled errors, {self.stalls} stalls, "
            f"{self.withheld} log lines the privacy filter failed on, "
            f"slowest update {self.slowest:.3f} s"
        )


class Fuzz:
    def __init__(self, harness: Harness) -> None:
        self.h = harness
        self.emu = harness.emu
        self.figures = Figures()
        self.offset = 0
        self.people: list[UserHandle] = []
        self.groups: list[GroupHandle] = []
        self.sent: list[tuple[int, int, int]] = []  # (chat id, author id, message id)
        self.lines = _ErrorLines()
        self._skipped_before = 0
        self.commands: list[str] = []
        self.payload_keys: list[str] = []
        self.newcomers = 0
        self.current: tuple[str, dict[str, Any]] | None = None

    # -- setting up --------------------------------------------------------------------------

    async def setup(self) -> None:
        h = self.h
        h.on_build.append(self._count_errors)
        # As in production: every line cleaned; the bot's own INFO lines made, so cleaning
        # meets every kind of line the bot writes.
        self.privacy = install_privacy([h.settings.telegram_token.get_secret_value()])
        self._bot_level = logging.getLogger("bot").level
        logging.getLogger("bot").setLevel(logging.INFO)
        logging.getLogger().addHandler(self.lines)
        await h.boot()
        owner = h.user("Amina", username="amina_w")
        admin = h.user("Baraka", language="sw", username="baraka")
        member = h.user("Chausiku", language="sw")
        quiet = h.user("Dalia")
        outsider = h.user("Eshe", username="eshe")
        self.people = [owner, admin, member, quiet, outsider]
        for person in self.people:
            await h.start(person)
        circle = await h.group("Peer Circle", owner=owner, admins=[admin], members=[member, quiet])
        other_owner = h.user("Faraji")
        other = await h.group("Other Circle", owner=other_owner, members=[outsider])
        self.groups = [circle, other]
        self.commands = sorted(
            {
                command
                for handlers in h.app.handlers.values()
                for handler in handlers
                if isinstance(handler, CommandHandler)
                for command in handler.commands
            }
        )
        self.payload_keys = sorted(router.Router(router.features()).payloads)
        await self.settle()
        self.figures = Figures()  # the set-up is not part of the figures
        self._skipped_before = self._skipped()

    def ids(self) -> list[int]:
        return [p.id for p in self.people] + [g.id for g in self.groups]

    def _count_errors(self, app: App) -> None:
        async def count(update: object, context: Context) -> None:
            error = context.error
            if isinstance(error, UserFacingError):
                return
            self.figures.errors += 1
            self.figures.seen.append(self._signature(update, error))

        app.add_error_handler(count)

    def _signature(self, update: object, error: BaseException | None) -> str:
        """Where it failed (the innermost frame of the bot's code) and after which action."""
        frames = traceback.extract_tb(error.__traceback__) if error else []
        ours = [f for f in frames if "/bot/" in f.filename] or frames
        where = f"{ours[-1].filename.rsplit('/bot/', 1)[-1]}:{ours[-1].lineno}" if ours else "?"
        action = repr(self.current)[:300]
        return f"{type(error).__name__} at {where} on {_kind(update)}: {error} — after {action}"

    def _skipped(self) -> int:
        ops = self.h.app.bot_data.ops
        assert ops is not None
        found = ops.metrics.registry.get_sample_value("pamoja_updates_skipped_total")
        return int(found or 0)

    def count_unreadable(self) -> None:
        self.figures.unreadable = self._skipped() - self._skipped_before

    async def close(self) -> None:
        self.figures.withheld = self.privacy.failures
        uninstall_privacy()
        logging.getLogger("bot").setLevel(self._bot_level)
        logging.getLogger().removeHandler(self.lines)
        await self.h.halt()

    # -- the bot's side: fetch and handle, like the polling loop -----------------------------

    async def settle(self) -> None:
        app = self.h.app
        for _ in range(200):
            try:
                batch = await fetch_updates(app, self.offset, 0)
            except Exception as error:  # the polling loop would fetch the same updates again
                self.figures.stalls += 1
                self.figures.seen.append(f"getUpdates: {type(error).__name__}: {error}")
                self.emu.take_updates()
                return
            if not batch:
                return
            for raw in batch:  # as the poller hands them over: the JSON, to the intake
                self.offset = raw["update_id"] + 1
                started = time.perf_counter()
                try:
                    await asyncio.wait_for(carry_out(app, raw), STALL_SECONDS)
                except TimeoutError:
                    self.figures.stalls += 1
                    self.figures.seen.append(f"stall on {_kind(raw)}")
                took = time.perf_counter() - started
                self.figures.slowest = max(self.figures.slowest, took)
                self.figures.updates += 1
        self.figures.stalls += 1
        self.figures.seen.append("the bot and the emulator keep producing updates")

    def error_lines(self) -> list[str]:
        return list(self.lines.lines)

    # -- the people's side ---------------------------------------------------------------------

    async def play(self, action: tuple[str, dict[str, Any]]) -> None:
        kind, args = action
        self.current = action
        self.figures.actions += 1
        try:
            getattr(self, f"_{kind}")(**args)
        except EmulatorError:
            self.figures.refused += 1
            return
        if kind == "advance":
            await self.h.app.bot_data.scheduler.run_due(self.h.app)
        await self.settle()

    def _person(self, index: int) -> UserHandle:
        return self.people[index % len(self.people)]

    def _chat(self, where: int, person: UserHandle) -> int:
        """0: the person's private chat; 1, 2: a group."""
        if where == 0:
            return person.id
        return self.groups[(where - 1) % len(self.groups)].id

    def _reply_target(self, chat_id: int, pick: int | None) -> int | None:
        if pick is None:
            return None
        mine = [m.message_id for m in self.emu.messages(chat_id, include_deleted=False)]
        return mine[pick % len(mine)] if mine else None

    def _say(
        self, who: int, where: int, text: str, reply: int | None, anonymous: bool, extra: JSON
    ) -> None:
        person = self._person(who)
        chat_id = self._chat(where, person)
        message_id = self.emu.send(
            chat_id,
            person,
            text,
            reply_to=self._reply_target(chat_id, reply),
            anonymous_admin=anonymous and where != 0,
            extra=extra or None,
        )
        self.sent.append((chat_id, person.id, message_id))

    def _media(self, who: int, where: int, kind: str, caption: str, name: str) -> None:
        person = self._person(who)
        chat_id = self._chat(where, person)
        emu = self.emu
        if kind == "photo":
            sent = emu.send_photo(chat_id, person, caption=caption[:1024] or None)
        elif kind == "sticker":
            sent = emu.send_sticker(chat_id, person, emoji=caption[:2] or "🙂")
        elif kind == "voice":
            sent = emu.send_voice(chat_id, person)
        else:
            sent = emu.send_document(
                chat_id,
                person,
                (name or "file")[:60] + ".txt",
                b"x",
                caption=caption[:1024] or None,
            )
        self.sent.append((chat_id, person.id, sent))

    def _edit(self, pick: int, text: str) -> None:
        if not self.sent:
            raise EmulatorError("nothing to edit yet")
        chat_id, author, message_id = self.sent[pick % len(self.sent)]
        self.emu.edit(chat_id, author, message_id, text)

    def _forward(self, who: int, where: int, text: str, origin: int | None, hidden: str) -> None:
        person = self._person(who)
        source = self._person(origin) if origin is not None else None
        self.emu.forward(
            self._chat(where, person), person, text, origin=source, hidden_name=hidden or None
        )

    def _channel(self, group: int, channel_id: int, title: str, text: str) -> None:
        self.emu.send_as_channel(self.groups[group % len(self.groups)], channel_id, title, text)

    def _press(self, who: int, where: int, pick: int, data: str) -> None:
        person = self._person(who)
        chat_id = self._chat(where, person)
        mine = self.emu.bot_messages(chat_id)
        if not mine:
            raise EmulatorError("no bot message to press on")
        message = mine[pick % len(mine)]
        buttons = [str(b["callback_data"]) for b in message.buttons() if b.get("callback_data")]
        if data == "" and buttons:  # a real button of the message
            data = buttons[pick % len(buttons)]
        self.emu.press(person, chat_id, message.message_id, data or "x", forge=True)

    def _start(self, who: int, payload: str | None) -> None:
        self.emu.start_bot(self._person(who), payload)

    def _link(self, who: int, payload: str) -> None:
        self.emu.open_link(self._person(who), f"https://t.me/PamojaBot?start={payload}")

    def _join(self, group: int, first_name: str, agree: bool) -> None:
        self.newcomers += 1
        person = self.emu.add_user(first_name or "N", language_code="en")
        target = self.groups[group % len(self.groups)]
        self.emu.join(target, person)
        self.people.append(person)
        if agree:
            own = f"rules:agree:{target.id}:{person.id}"
            for message in reversed(self.emu.bot_messages(target)):
                if any(b.get("callback_data") == own for b in message.buttons()):
                    self.emu.press(person, target, message.message_id, own)
                    break

    def _leave(self, who: int, group: int) -> None:
        self.emu.leave(self.groups[group % len(self.groups)], self._person(who))

    def _request(self, who: int, group: int) -> None:
        self.emu.request_join(self.groups[group % len(self.groups)], self._person(who))

    def _block(self, who: int, unblock: bool) -> None:
        person = self._person(who)
        if unblock:
            self.emu.unblock_bot(person)
        else:
            self.emu.block_bot(person)

    def _raw(self, kind: str, payload: JSON) -> None:
        self.emu.deliver_raw(kind, self._fill(payload))

    def _advance(self, seconds: int) -> None:
        self.h.clock.advance(seconds)

    def _fill(self, value: Any) -> Any:
        """Raw payloads name people and groups by placeholders: ``"$user0"``, ``"$group1"``."""
        if isinstance(value, dict):
            return {k: self._fill(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self._fill(v) for v in value]
        if value == "$bot":
            bot = self.emu.bot
            return {"id": bot.id, "is_bot": True, "first_name": "Pamoja", "username": "PamojaBot"}
        if isinstance(value, str) and value.startswith("$user"):
            person = self._person(int(value[5:]))
            return {"id": person.id, "is_bot": False, "first_name": person.first_name}
        if isinstance(value, str) and value.startswith("$group"):
            group = self.groups[int(value[6:]) % len(self.groups)]
            return {"id": group.id, "title": group.title, "type": "supergroup"}
        if value == "$now":
            return int(self.emu.now())
        if isinstance(value, str) and "{" in value:  # "rules:agree:{group0}:{user2}"
            names = {f"user{i}": p.id for i, p in enumerate(self.people[:5])}
            names.update({f"group{i}": g.id for i, g in enumerate(self.groups)})
            return value.format(**names)
        return value


def report(config: Any, line: str) -> None:
    """A figure on the terminal in every run (not only with ``-s`` or on failure)."""
    terminal = config.pluginmanager.get_plugin("terminalreporter")
    capture = config.pluginmanager.get_plugin("capturemanager")
    if terminal is None or capture is None:
        print(line)
        return
    with capture.global_and_fixture_disabled():
        terminal.write_line(line)


def _kind(update: object) -> str:
    if isinstance(update, dict):
        return next((str(k) for k in update if k != "update_id"), "other update")
    if isinstance(update, Update):
        for name in ("message", "edited_message", "callback_query", "chat_member"):
            if getattr(update, name, None) is not None:
                return name
        return "other update"
    return type(update).__name__
