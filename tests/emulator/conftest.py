"""Fixtures: an emulator on a frozen clock, a real PTB Bot wired to it in-process, and a
small cast (Amina owns a peer group, Juma and Neema are members; the bot is an admin)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from telegram import Bot

from emulator import Emulator, EmulatorRequest, GroupHandle, UserHandle

START = 1_790_000_000.0


@dataclass(frozen=True)
class Cast:
    amina: UserHandle
    juma: UserHandle
    neema: UserHandle
    group: GroupHandle


@pytest.fixture
def emu() -> Emulator:
    return Emulator(clock=lambda: START)


@pytest.fixture
async def bot(emu: Emulator) -> AsyncIterator[Bot]:
    async with Bot(
        emu.token,
        request=EmulatorRequest(emu),
        get_updates_request=EmulatorRequest(emu),
    ) as ptb_bot:
        yield ptb_bot


@pytest.fixture
def cast(emu: Emulator) -> Cast:
    amina = emu.add_user("Amina", username="amina", language_code="sw")
    juma = emu.add_user("Juma", last_name="Otieno")
    neema = emu.add_user("Neema")
    group = emu.add_group("Peer Group", owner=amina, members=[juma, neema])
    emu.add_bot_to_group(group, by=amina, as_admin=True)
    emu.take_updates()
    return Cast(amina, juma, neema, group)
