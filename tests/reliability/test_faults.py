"""Nothing lost, nothing doubled, nothing left half way — at 30 % injected Telegram faults.

The real Application, the real SQLite store, the emulator with its fault plan: 30 % of the send
calls fail as Telegram's do (429 with retry_after 1–3 s, 500, 502, and answers slower than the
client's timeout although Telegram carried the call out). Time is scaled down: the bot's clock
is moved by the run (a retry_after of 3 s costs no real time), and the client's timeout is
0.1 s of real time with slow answers 0.25 s late.

The same script runs once without faults (the baseline every figure is compared with) and once
with them. The figures print in every run (CI's included).
"""

from __future__ import annotations

import logging
import os
import time
from collections import Counter
from pathlib import Path

import pytest

from bot.timeutil import ManualClock
from emulator import DEFAULT_TOKEN
from emulator.faults import SEND_METHODS, FaultPlan
from tests.conftest import make_settings
from tests.reliability import scenario
from tests.support import Harness

ROUNDS = 4
RATE = 0.3
SEED = int(os.environ.get("PAMOJA_FAULT_SEED", "20261203"))


# Beyond the sends: edits, button answers and removals fail as often in the second fault run.
EVERY_CALL = frozenset(
    SEND_METHODS
    | {"editMessageText", "editMessageReplyMarkup", "answerCallbackQuery", "deleteMessage"}
)


async def one_run(
    path: Path,
    rate: float,
    baseline: Counter[tuple[int, str]] | None,
    methods: frozenset[str] = SEND_METHODS,
) -> tuple[scenario.Figures, Counter[tuple[int, str]], float]:
    started = time.perf_counter()
    harness = Harness(
        make_settings(path, telegram_token=DEFAULT_TOKEN), ManualClock(start=1_790_000_000)
    )
    harness.read_timeout = 0.1
    stopped = scenario.Stopped()
    errors_log = logging.getLogger("bot.handlers.errors")
    errors_log.addHandler(stopped)
    errors_log.setLevel(logging.WARNING)  # counted whatever the root logger's level
    recognised = scenario.Recognised()
    outbox_log = logging.getLogger("bot.delivery.outbox")
    outbox_log.addHandler(recognised)
    outbox_log.setLevel(logging.INFO)
    await harness.boot()
    try:
        cast = await scenario.cast(harness, ROUNDS)
        harness.emu.faults = FaultPlan(rate=rate, seed=SEED, slow_seconds=0.25, methods=methods)
        await scenario.run(harness, cast)
        harness.emu.faults.active = False
        figures = await scenario.measure(harness, cast, stopped, baseline)
        figures.details += [f"error logged: {r.getMessage()}" for r in harness.errors]
        figures.recognised = recognised.count
        seen = scenario.repeats(harness, cast)
        harness.errors.clear()
    finally:
        errors_log.removeHandler(stopped)
        errors_log.setLevel(logging.NOTSET)
        outbox_log.removeHandler(recognised)
        outbox_log.setLevel(logging.NOTSET)
        await harness.halt()
    return figures, seen, time.perf_counter() - started


async def test_critical_flows_lose_and_double_nothing_at_30_percent_faults(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    calm, seen, calm_seconds = await one_run(tmp_path / "calm", 0.0, None)
    faulty, _, faulty_seconds = await one_run(tmp_path / "faults", RATE, seen)
    everything, _, everything_seconds = await one_run(
        tmp_path / "everything", RATE, seen, EVERY_CALL
    )
    with capsys.disabled():  # shown in every run, CI's included
        print()
        print(calm.line("0% faults") + f" | {calm_seconds:.1f} s")
        label = f"{RATE:.0%} of sends failing, seed {SEED}"
        print(faulty.line(label) + f" | {faulty_seconds:.1f} s")
        label = f"{RATE:.0%} of sends, edits, answers, deletes failing, seed {SEED}"
        print(everything.line(label) + f" | {everything_seconds:.1f} s")
        for detail in calm.details + faulty.details + everything.details:
            print(f"reliability   {detail}")
    for figures in (calm, faulty, everything):
        assert figures.details == []
        assert (figures.lost, figures.duplicates, figures.out_of_order) == (0, 0, 0)
        assert (figures.stopped, figures.stuck) == (0, 0)
    assert calm.expected == faulty.expected == everything.expected == 24 * ROUNDS
    for figures in (faulty, everything):
        assert figures.messages == calm.messages  # not one bot message more or less
        assert sum(figures.faults.values()) >= 0.2 * figures.sends  # the faults happened
        assert min(figures.faults.values()) > 0  # every kind of fault, slow answers included
