"""The fault plan: Telegram's own failures for a share of the calls, as PTB's real exceptions;
a slow answer is carried out although the client gave up waiting."""

from __future__ import annotations

import pytest
from telegram import Bot
from telegram.error import NetworkError, RetryAfter, TimedOut

from emulator import Emulator, EmulatorRequest
from emulator.control import act
from emulator.faults import FaultPlan

from .conftest import Cast


async def test_each_fault_is_telegrams_own(emu: Emulator, cast: Cast) -> None:
    emu.start_bot(cast.juma)
    async with Bot(emu.token, request=EmulatorRequest(emu, read_timeout=0.05)) as bot:
        emu.faults = FaultPlan(rate=1.0, weights=(1, 0, 0, 0), retry_after=(1, 3))
        with pytest.raises(RetryAfter) as flood:
            await bot.send_message(cast.juma.id, "hi")
        wait = flood.value.retry_after
        assert 1 <= (wait if isinstance(wait, int) else wait.total_seconds()) <= 3
        emu.faults = FaultPlan(rate=1.0, weights=(0, 1, 0, 0))
        with pytest.raises(NetworkError, match="Internal Server Error"):
            await bot.send_message(cast.juma.id, "hi")
        emu.faults = FaultPlan(rate=1.0, weights=(0, 0, 1, 0))
        with pytest.raises(NetworkError, match="Bad Gateway"):
            await bot.send_message(cast.juma.id, "hi")
        assert emu.bot_messages(cast.juma) == []  # none of these was carried out
        emu.faults = FaultPlan(rate=1.0, weights=(0, 0, 0, 1), slow_seconds=0.2)
        with pytest.raises(TimedOut):
            await bot.send_message(cast.juma.id, "accepted all the same")
        assert [m.text for m in emu.bot_messages(cast.juma)] == ["accepted all the same"]
        assert emu.faults.summary() == {"429": 0, "500": 0, "502": 0, "slow": 1}
        # Only the plan's methods fail.
        assert (await bot.get_chat(cast.group.id)).id == cast.group.id


async def test_the_share_is_the_rate_and_a_seed_repeats_a_run(emu: Emulator, cast: Cast) -> None:
    emu.start_bot(cast.juma)
    outcomes = []
    for _ in range(2):
        plan = FaultPlan(rate=0.3, seed=5)
        outcomes.append([plan.draw("sendMessage") for _ in range(2000)])
        assert 0.26 < plan.total / plan.calls < 0.34
    assert outcomes[0] == outcomes[1]


async def test_faults_are_switched_over_the_control_api(emu: Emulator, cast: Cast) -> None:
    emu.start_bot(cast.juma)
    act(emu, {"action": "inject_faults", "rate": 1.0, "seed": 3})
    async with Bot(emu.token, request=EmulatorRequest(emu, read_timeout=0.05)) as bot:
        with pytest.raises((NetworkError, RetryAfter)):
            await bot.send_message(cast.juma.id, "hi")
        summary = act(emu, {"action": "stop_faults"})
        assert isinstance(summary, dict) and summary["calls"] == 1
        await bot.send_message(cast.juma.id, "hi")
        act(emu, {"action": "answer_late_next", "method": "sendMessage", "seconds": 0.2})
        with pytest.raises(TimedOut):
            await bot.send_message(cast.juma.id, "late")
    assert [m.text for m in emu.bot_messages(cast.juma)][-2:] == ["hi", "late"]
