"""Shared fixtures: settings that never read a developer's .env, a fresh database per test."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.crypto import FieldCipher
from bot.settings import Settings
from bot.storage.store import Store
from bot.timeutil import ManualClock
from emulator import DEFAULT_TOKEN
from tests.support import Harness

TEST_TOKEN = "123456789:TEST-token-abcdefghijklmnopqrstuv"
TEST_KEY = base64.urlsafe_b64encode(bytes(range(32))).decode()


def make_settings(tmp_path: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "telegram_token": TEST_TOKEN,
        "data_key": TEST_KEY,
        "database_path": tmp_path / "pamoja.sqlite3",
        "bot_api_url": "http://127.0.0.1:1",
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(start=1_790_000_000)


@pytest.fixture
def cipher() -> FieldCipher:
    return FieldCipher(TEST_KEY)


@pytest.fixture
async def store(tmp_path: Path, cipher: FieldCipher, clock: ManualClock) -> AsyncIterator[Store]:
    opened = await Store.open(tmp_path / "store.sqlite3", cipher, clock)
    try:
        yield opened
    finally:
        await opened.close()


@pytest.fixture
async def harness(tmp_path: Path, clock: ManualClock) -> AsyncIterator[Harness]:
    """The real bot against the emulator, in-process; fails the test if the bot logged errors."""
    running = Harness(make_settings(tmp_path, telegram_token=DEFAULT_TOKEN), clock)
    await running.boot()
    try:
        yield running
    finally:
        await running.halt()
    assert [r.getMessage() for r in running.errors] == []
