from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from tests.circle.fake import Driver, FakeTelegram, running

MEMBER = 101
SISTER = 202
ADMIN = 303
OTHER = 404
GROUP = -1001


@pytest.fixture(autouse=True)
def no_unexpected_errors(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    caplog.set_level(logging.INFO)
    yield
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == [], [r.getMessage() for r in errors]


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[Driver]:
    fake = FakeTelegram()
    fake.names.update({MEMBER: "Amani", SISTER: "Wanjiru", ADMIN: "Baraka", OTHER: "Otieno"})
    async with running(tmp_path, fake) as driver:
        yield driver
