"""Numbers past SQLite's INTEGER range, everywhere a person can type or forge one: every
command (in the group, as its owner and as a member, and privately), every ``/start`` payload,
every button of every feature. Each gets a kind answer or silence — never an error — and the
database is unchanged by it."""

from __future__ import annotations

import traceback
from typing import Any

import pytest
from telegram.ext import CommandHandler

from bot.errors import UserFacingError
from bot.handlers import router
from tests.reliability.fuzzing import report
from tests.support import Harness

HUGE = ["99999999999999999999", "-99999999999999999999", "9223372036854775808", "²"]


def _commands(harness: Harness) -> list[str]:
    return sorted(
        {
            command
            for handlers in harness.app.handlers.values()
            for handler in handlers
            if isinstance(handler, CommandHandler)
            for command in handler.commands
        }
    )


@pytest.fixture
def failures(harness: Harness) -> list[str]:
    """Exceptions that reached the error handler, other than deliberate kind refusals."""
    seen: list[str] = []

    async def count(update: object, context: Any) -> None:
        error = context.error
        if not isinstance(error, UserFacingError):
            frames = [
                f for f in traceback.extract_tb(error.__traceback__) if "/bot/" in f.filename
            ]
            where = (
                f"{frames[-1].filename.rsplit('/bot/')[-1]}:{frames[-1].lineno}" if frames else ""
            )
            seen.append(f"{type(error).__name__} at {where}: {error}")

    harness.app.add_error_handler(count)
    return seen


async def test_huge_numbers_in_every_command(
    harness: Harness, failures: list[str], request: pytest.FixtureRequest
) -> None:
    owner = harness.user("Amina")
    await harness.start(owner)
    group = await harness.group("Peer Circle", owner=owner)
    tried = 0
    crashed: set[str] = set()
    commands = _commands(harness)
    for command in commands:
        member = harness.user(f"Member {command}")  # a measure may remove the one before
        await harness.start(member)
        await harness.join(group, member)
        reply_to = await harness.say(group, member, "hello everyone")
        before = len(failures)
        for number in HUGE:
            for text in (f"/{command} {number}", f"/{command} {number} {number} contact={number}"):
                await harness.say(group, owner, text)
                if harness.emu.can_post(group, member):
                    await harness.say(group, member, text)
                still = harness.emu.message(group, reply_to)
                if still is not None and not still.deleted:
                    await harness.say(group, owner, text, reply_to=reply_to)
                await harness.private(owner, text)
                await harness.private(owner, "/cancel")
                tried += 1
        if len(failures) > before:
            crashed.add(command)
    report(
        request.config,
        f"\nhuge numbers: {tried} command texts over {len(commands)} commands, "
        f"{len(crashed)} commands crashed {sorted(crashed)}",
    )
    assert tried > 100
    assert failures == []


async def test_huge_numbers_in_every_start_payload(harness: Harness, failures: list[str]) -> None:
    owner = harness.user("Amina")
    stranger = harness.user("Eshe")
    await harness.group("Peer Circle", owner=owner)
    keys = sorted(router.Router(router.features()).payloads)
    assert keys
    for key in keys:
        for number in ("99999999999999999999", "9223372036854775808", "1" * 40):
            for person in (owner, stranger):
                await harness.start(person, (key + number)[:64])
                await harness.start(person, (key + "-" + number)[:64])
                await harness.private(person, "/cancel")
    assert failures == []


async def test_huge_numbers_in_every_button(harness: Harness, failures: list[str]) -> None:
    owner = harness.user("Amina")
    member = harness.user("Chausiku")
    await harness.start(owner)
    await harness.start(member)
    group = await harness.group("Peer Circle", owner=owner, members=[member])
    verbs: set[str] = set()
    for message in harness.emu.messages(group) + harness.emu.messages(owner):
        for button in message.buttons():
            data = button.get("callback_data")
            if data:
                verbs.add(":".join(str(data).split(":")[:2]))
    target = harness.emu.bot_messages(group)[-1].message_id
    for pattern in sorted(verbs | {"rules:agree", "rules:show", "circle:x", "talk:accept"}):
        for number in HUGE:
            for arity in range(1, 4):
                data = ":".join([pattern, *([number] * arity)])[:64]
                await harness.press(member, group, target, data, forge=True)
    assert failures == []
