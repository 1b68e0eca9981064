"""A short soak: the bot as a process, SIGKILLed while updates wait and run, restarted on the
same database (the long one is run by hand: ``python -m bench.soak --ops 500``)."""

from __future__ import annotations

from bench.soak import soak


async def test_sigkills_lose_no_command_and_no_acknowledged_work() -> None:
    report = await soak(40, seed=7, kills=3, wait_due=False)
    print("\n" + "\n".join(report.lines()))
    assert report.kills >= 1
    assert report.integrity == "ok"
    assert report.tracebacks == 0
    assert report.lost == []
    assert report.acknowledged_missing == 0
