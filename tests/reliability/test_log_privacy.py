"""No log line of any logger carries a name, a username, a message's text, a phone number or
the token — tested by planting them.

A person named Wanjiku Otieno (@wanjiku_o) writes a sentence with her phone number in it,
privately and in the group, edits it, forwards it, opens deep links; an update carrying her
name that python-telegram-bot cannot read arrives (the library logs the raw update at CRITICAL
when it meets one); a handler fails with her name, text and number in its exception; the bot
talks to a Bot API over HTTP (httpx logs every URL, the token in it), with every library logger
at DEBUG (python-telegram-bot logs each call's parameters, aiosqlite each statement's values).
Every captured line — pytest's caplog at DEBUG, and the real logging set-up of ``bot/logs.py``
writing to stderr — is scanned for each planted value.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from telegram import Bot, Update
from telegram.ext import MessageHandler, filters
from telegram.request import HTTPXRequest

from bot.logs import configure_logging, install_privacy, uninstall_privacy
from bot.once import carry_out
from bot.polling import fetch_updates
from emulator import DEFAULT_TOKEN, EmulatorRequest, EmulatorServer
from tests.reliability.fuzzing import report
from tests.support import Harness

FIRST, LAST, USERNAME = "Wanjiku", "Otieno", "wanjiku_o"
PHONE = "+254712345678"
SENTENCE = "I have not slept since the funeral"
TEXT = f"{SENTENCE}, call me on {PHONE}"
PLANTED = [FIRST, LAST, USERNAME, SENTENCE, PHONE, "712345678", DEFAULT_TOKEN]
PLANTED.append(DEFAULT_TOKEN.split(":", 1)[1])
LIBRARIES = ("telegram", "httpx", "httpcore", "aiosqlite", "apscheduler", "tornado")


@pytest.fixture
def every_logger_at_debug() -> Iterator[None]:
    root = logging.getLogger()
    saved = root.handlers[:], root.level, {n: logging.getLogger(n).level for n in LIBRARIES}
    try:
        yield
    finally:
        uninstall_privacy()
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])
        for name, level in saved[2].items():
            logging.getLogger(name).setLevel(level)


async def _boom(update: Update, _context: object) -> None:
    """A handler with a bug that puts what it read into its exception."""
    message = update.effective_message
    user = update.effective_user
    assert message is not None and user is not None
    raise RuntimeError(f"cannot handle {message.text} from {user.full_name} (@{user.username})")


async def plant(harness: Harness) -> None:
    """Everything that can put personal data into a log line, once each."""
    emu = harness.emu
    harness.app.add_handler(MessageHandler(filters.Regex("^boom"), _boom), group=50)
    wanjiku = emu.add_user(FIRST, last_name=LAST, username=USERNAME, language_code="en")
    owner = harness.user("Amina")
    await harness.start(owner)
    group = await harness.group("Peer Circle", owner=owner)
    await harness.start(wanjiku)
    await harness.private(wanjiku, TEXT)
    await harness.join(group, wanjiku)
    said = await harness.say(group, wanjiku, TEXT)
    emu.edit(group, wanjiku, said, TEXT + " today")
    await harness.settle()
    emu.forward(owner, owner, TEXT, origin=wanjiku)
    await harness.settle()
    await harness.say(group, owner, f"/report {TEXT}", reply_to=said)
    await harness.start(wanjiku, f"rules_{group.id}")
    await harness.private(wanjiku, f"boom {TEXT}")
    # Telegram refuses a send with a description that quotes the text.
    emu.fail_next("sendMessage", 400, f"Bad Request: can't parse entities: '{TEXT}'")
    await harness.private(wanjiku, "/help")
    # An update the library cannot read, with her name and text in it: through the bot's own
    # poller and intake (skipped and counted), and through the library alone (which logs it
    # raw).
    emu.deliver_raw(
        "message",
        {
            "message_id": 1,
            "date": int(emu.now()),
            "chat": {"id": wanjiku.id, "type": "private", "first_name": FIRST},
            "from": {"id": wanjiku.id, "is_bot": False, "first_name": FIRST, "username": USERNAME},
            "text": TEXT,
            "entities": "not a list",
        },
    )
    ops = harness.app.bot_data.ops
    assert ops is not None
    skipped = ops.metrics.registry.get_sample_value("pamoja_updates_skipped_total") or 0
    for raw in await fetch_updates(harness.app, None, 0):
        await carry_out(harness.app, raw)
    assert ops.metrics.registry.get_sample_value("pamoja_updates_skipped_total") == skipped + 1
    emu.deliver_raw("message", {"message_id": 2, "date": 0, "chat": FIRST, "text": TEXT})
    transport = EmulatorRequest(emu)
    plain = Bot(
        DEFAULT_TOKEN,
        base_url="http://emulator/bot",
        request=transport,
        get_updates_request=transport,
    )
    async with plain:
        with pytest.raises(AttributeError):
            await plain.get_updates(timeout=0)
    emu.take_updates()
    # Over HTTP: httpx logs the URL (the token is in it), the library each call's parameters.
    server = EmulatorServer(emu)
    root = await server.start()
    try:
        over_http = Bot(DEFAULT_TOKEN, base_url=f"{root}/bot", request=HTTPXRequest())
        async with over_http:
            await over_http.send_message(wanjiku.id, TEXT)
    finally:
        await server.stop()


def _leaks(lines: list[str]) -> list[str]:
    return [f"{value!r} in {line[:300]!r}" for line in lines for value in PLANTED if value in line]


async def test_caplog_at_debug_holds_no_personal_data(
    every_logger_at_debug: None,
    caplog: pytest.LogCaptureFixture,
    harness: Harness,
    request: pytest.FixtureRequest,
) -> None:
    install_privacy([DEFAULT_TOKEN])
    caplog.set_level(logging.DEBUG)
    for name in LIBRARIES:
        caplog.set_level(logging.DEBUG, logger=name)
    await plant(harness)
    formatter = logging.Formatter("%(levelname)s %(name)s: %(message)s")
    lines = [formatter.format(record) for record in caplog.records]
    names = {record.name.split(".")[0] for record in caplog.records}
    assert {"bot", "telegram", "httpx", "aiosqlite"} <= names  # every library spoke
    assert any(
        r.levelno == logging.CRITICAL and r.name.startswith("telegram") for r in caplog.records
    )
    assert any("RuntimeError" in line for line in lines)
    assert any("skipped" in line for line in lines)
    report(
        request.config,
        f"\nlog privacy (caplog, DEBUG): {len(lines)} lines from "
        f"{len(names)} loggers, {len(_leaks(lines))} with a planted value",
    )
    assert _leaks(lines) == []
    harness.errors.clear()  # the planted failures were logged on purpose


async def test_the_real_logging_setup_writes_no_personal_data(
    every_logger_at_debug: None,
    capsys: pytest.CaptureFixture[str],
    harness: Harness,
    request: pytest.FixtureRequest,
) -> None:
    configure_logging("DEBUG", [DEFAULT_TOKEN])
    for name in LIBRARIES:  # louder than production allows, to hear every library
        logging.getLogger(name).setLevel(logging.DEBUG)
    await plant(harness)
    written = capsys.readouterr().err.splitlines()
    assert len(written) > 100
    assert any("CRITICAL telegram" in line for line in written)
    assert any("HTTP Request" in line for line in written)
    report(
        request.config,
        f"\nlog privacy (bot/logs.py set-up): {len(written)} lines written, "
        f"{len(_leaks(written))} with a planted value",
    )
    assert _leaks(written) == []
    harness.errors.clear()


def test_library_lines_of_every_shape_are_cleaned(
    every_logger_at_debug: None, caplog: pytest.LogCaptureFixture
) -> None:
    """What a library might pass: a dict, a sentence, an exception, an object, a URL."""
    privacy = install_privacy([DEFAULT_TOKEN])
    person = {"first_name": FIRST, "last_name": LAST, "username": USERNAME}
    privacy.remember({"message": {"text": TEXT, "from": person}})
    caplog.set_level(logging.DEBUG)
    shapes: list[tuple[str, tuple[object, ...]]] = [
        ("data %r", ({"first_name": FIRST, "text": TEXT},)),
        ("text %s", (TEXT,)),
        ("error %s", (ValueError(f"bad value {FIRST!r} {TEXT}"),)),
        ("url %s", (f"http://127.0.0.1/bot{DEFAULT_TOKEN}/sendMessage",)),
        (f"f-string {FIRST} {LAST} @{USERNAME} {PHONE}", ()),
        ("number %d and ids %s", (42, [1, 2, 3])),
    ]
    for name in (*LIBRARIES, "bot.handlers.errors", "some.other.library"):
        for msg, args in shapes:
            logging.getLogger(name).warning(msg, *args)
        try:
            raise KeyError(TEXT)
        except KeyError:
            logging.getLogger(name).exception("failed with %s", FIRST)
    lines = [logging.Formatter("%(name)s %(message)s").format(r) for r in caplog.records]
    assert len(lines) == 8 * 7
    assert any("ids [1, 2, 3]" in line for line in lines)
    assert any("/bot<secret>/sendMessage" in line for line in lines)
    assert _leaks(lines) == []
