"""The bot as a separate process (``python -m bot``) against the emulator over HTTP.

This is how a deployment runs it: settings from ``PAMOJA_*`` variables, long polling against
``PAMOJA_BOT_API_URL``. The test process serves the emulator and acts as the people.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from emulator import Emulator, EmulatorServer
from tests.conftest import TEST_KEY

ROOT = Path(__file__).resolve().parents[2]


def bot_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAMOJA_")}
    env.update(
        PAMOJA_DATABASE_PATH=str(tmp_path / "bot.sqlite3"),
        PAMOJA_DATA_KEY=TEST_KEY,
        PAMOJA_LOG_LEVEL="INFO",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def webhook_env(
    tmp_path: Path,
    emu: Emulator,
    url: str,
    port: int,
    public: str = "https://pamoja.example.org/telegram",
    **extra: str,
) -> dict[str, str]:
    """The bot in webhook mode against the emulator at ``url``, listening on ``port``."""
    return bot_env(
        tmp_path,
        PAMOJA_TELEGRAM_TOKEN=emu.token,
        PAMOJA_BOT_API_URL=url,
        PAMOJA_MODE="webhook",
        PAMOJA_WEBHOOK_URL=public,
        PAMOJA_WEBHOOK_LISTEN="127.0.0.1",
        PAMOJA_WEBHOOK_PORT=str(port),
        **extra,
    )


def start_update(update_id: int, user_id: int) -> dict[str, Any]:
    """A person's private ``/start``, as Telegram posts it to a webhook."""
    return {
        "update_id": update_id,
        "message": {
            "message_id": 1,
            "date": 1_790_000_000,
            "chat": {"id": user_id, "type": "private", "first_name": "Amina"},
            "from": {"id": user_id, "is_bot": False, "first_name": "Amina"},
            "text": "/start",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    }


async def wait_for(condition: Callable[[], bool], seconds: float = 20.0) -> None:
    async with asyncio.timeout(seconds):
        while not condition():  # noqa: ASYNC110 - polling another process's effects
            await asyncio.sleep(0.05)


class RunningBot:
    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.stderr = ""
        self._read = ""

    async def wait_for_line(self, needle: str, seconds: float = 60.0) -> None:
        """Read the bot's log until a line holds ``needle`` (kept for ``stderr``)."""
        assert self.process.stderr is not None
        async with asyncio.timeout(seconds):
            while True:
                line = (await self.process.stderr.readline()).decode()
                if not line:
                    raise AssertionError(f"the bot ended before logging {needle!r}")
                self._read += line
                if needle in line:
                    return

    async def stop(self, *, signal_first: bool = True) -> int:
        """SIGTERM (as ``docker stop`` sends) unless the process ends by itself; its exit code."""
        if signal_first and self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(self.process.communicate(), timeout=20)
        self.stderr = self._read + err.decode()
        return self.process.returncode if self.process.returncode is not None else -1


@pytest.fixture
async def served() -> AsyncIterator[tuple[Emulator, str]]:
    emu = Emulator()
    async with EmulatorServer(emu) as server:
        yield emu, server.url


async def start_bot(env: dict[str, str], cwd: Path) -> RunningBot:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        cwd=cwd,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    return RunningBot(process)


async def test_bot_process_answers_start_and_setup(
    served: tuple[Emulator, str], tmp_path: Path
) -> None:
    emu, url = served
    running = await start_bot(
        bot_env(tmp_path, PAMOJA_TELEGRAM_TOKEN=emu.token, PAMOJA_BOT_API_URL=url), tmp_path
    )
    try:
        await wait_for(lambda: bool(emu.calls_to("deleteWebhook")))  # polling starts next
        amina = emu.add_user("Amina")
        emu.start_bot(amina)
        await wait_for(lambda: emu.last_bot_message(amina) is not None)
        assert "welcome to Pamoja" in (emu.last_bot_message(amina).text or "")

        owner = emu.add_user("Wanjiru")
        group = emu.add_group("Peer Group", owner=owner, members=[amina])
        emu.add_bot_to_group(group, by=owner, as_admin=True)
        await wait_for(lambda: len(emu.bot_messages(group)) >= 1)
        emu.send(group, amina, "/setup")
        await wait_for(lambda: len(emu.bot_messages(group)) >= 2)
        assert "Only the group's administrators" in (emu.last_bot_message(group).text or "")
        emu.send(group, owner, "/setup")
        await wait_for(lambda: len(emu.bot_messages(group)) >= 4)  # "ready", the pinned rules
        assert any("ready" in (m.text or "") for m in emu.bot_messages(group)[2:])
        assert any("⏳ Wanjiru" in (m.text or "") for m in emu.bot_messages(group)[2:])
        assert emu.allowed_updates >= {"chat_member", "my_chat_member", "chat_join_request"}
    finally:
        code = await running.stop()
    assert code == 0, running.stderr
    assert emu.token not in running.stderr
    assert "Amina" not in running.stderr and "Traceback" not in running.stderr


async def test_missing_token_gives_one_clear_sentence(tmp_path: Path) -> None:
    running = await start_bot(bot_env(tmp_path), tmp_path)
    code = await running.stop(signal_first=False)
    assert code == 2
    assert "PAMOJA_TELEGRAM_TOKEN" in running.stderr and "@BotFather" in running.stderr
    assert "Traceback" not in running.stderr


async def test_unreachable_bot_api_is_explained(tmp_path: Path) -> None:
    env = bot_env(
        tmp_path,
        PAMOJA_TELEGRAM_TOKEN="123456:abcdefghijklmnop",
        PAMOJA_BOT_API_URL="http://127.0.0.1:9",
        PAMOJA_STARTUP_RETRY_SECONDS="0",  # give up at once (tests/ops covers the retrying)
    )
    running = await start_bot(env, tmp_path)
    code = await running.stop(signal_first=False)
    assert code == 1
    assert "Could not reach the Bot API" in running.stderr
    assert "abcdefghijklmnop" not in running.stderr
    assert "Traceback" not in running.stderr


def test_console_script_and_module_agree() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "--help"], capture_output=True, text=True, check=True
    )
    assert "demo" in result.stdout


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_webhook_mode_with_secret_token(
    served: tuple[Emulator, str], tmp_path: Path
) -> None:
    import httpx

    emu, url = served
    port = free_port()
    env = webhook_env(
        tmp_path,
        emu,
        url,
        port,
        PAMOJA_WEBHOOK_SECRET="s3cret-Header-Value",
    )
    running = await start_bot(env, tmp_path)
    try:
        await wait_for(lambda: bool(emu.calls_to("setWebhook")))
        registered = emu.calls_to("setWebhook")[-1].params
        assert registered["url"] == "https://pamoja.example.org/telegram"
        assert registered["secret_token"] == "s3cret-Header-Value"
        amina = emu.add_user("Amina")
        update = start_update(1, amina.id)
        emu.start_bot(amina)  # the person exists and may be written to
        emu.take_updates()
        hook = f"http://127.0.0.1:{port}/telegram"
        async with httpx.AsyncClient() as client:
            for _ in range(100):
                try:
                    refused = await client.post(
                        hook, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"}
                    )
                    break
                except httpx.ConnectError:
                    await asyncio.sleep(0.05)
            assert refused.status_code == 403
            accepted = await client.post(
                hook,
                json=update,
                headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret-Header-Value"},
            )
            assert accepted.status_code == 200
        await wait_for(lambda: emu.last_bot_message(amina) is not None)
        assert "welcome to Pamoja" in (emu.last_bot_message(amina).text or "")
        assert len(emu.bot_messages(amina)) == 1  # the refused post did nothing
    finally:
        code = await running.stop()
    assert code == 0, running.stderr
    assert "s3cret-Header-Value" not in running.stderr


@pytest.mark.parametrize(
    ("public", "served_at"),
    [
        ("https://pamoja.example.org", "/"),
        ("https://pamoja.example.org/hooks/pamoja/", "/hooks/pamoja"),
    ],
)
async def test_a_webhook_url_without_the_telegram_path_works(
    served: tuple[Emulator, str], tmp_path: Path, public: str, served_at: str
) -> None:
    """The bot serves the path of PAMOJA_WEBHOOK_URL, whatever it is: what Telegram is told
    is what answers (a URL without /telegram used to get 404 for every update)."""
    import httpx

    emu, url = served
    port = free_port()
    env = webhook_env(tmp_path, emu, url, port, public)
    running = await start_bot(env, tmp_path)
    try:
        await wait_for(lambda: bool(emu.calls_to("setWebhook")))
        assert emu.calls_to("setWebhook")[-1].params["url"] == public
        amina = emu.add_user("Amina")
        emu.start_bot(amina)
        emu.take_updates()
        update = start_update(1, amina.id)
        async with httpx.AsyncClient() as client:
            for _ in range(100):
                try:
                    answer = await client.post(f"http://127.0.0.1:{port}{served_at}", json=update)
                    break
                except httpx.ConnectError:
                    await asyncio.sleep(0.05)
            assert answer.status_code == 200
        await wait_for(lambda: emu.last_bot_message(amina) is not None)
        assert "welcome to Pamoja" in (emu.last_bot_message(amina).text or "")
    finally:
        code = await running.stop()
    assert code == 0, running.stderr


async def test_a_webhook_url_telegram_cannot_call_stops_with_one_sentence(tmp_path: Path) -> None:
    env = bot_env(
        tmp_path,
        PAMOJA_TELEGRAM_TOKEN="123456:abcdefghijklmnop",
        PAMOJA_MODE="webhook",
        PAMOJA_WEBHOOK_URL="http://pamoja.example.org/telegram",
    )
    running = await start_bot(env, tmp_path)
    code = await running.stop(signal_first=False)
    assert code == 2
    lines = [line for line in running.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "PAMOJA_WEBHOOK_URL" in lines[0] and "https://" in lines[0]
    assert "Traceback" not in running.stderr
