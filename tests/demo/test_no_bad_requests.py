"""Issue 11 item 8: no Bot API 400 on ordinary paths. Every demo scene is played through the
real bot against the emulator; any call Telegram would have refused with 400 fails the test."""

from __future__ import annotations

from bot.demo.scenes import SCENES
from tests.support import Harness


async def test_every_demo_scene_runs_without_a_bad_request(harness: Harness) -> None:
    for title, play in SCENES:
        mark = len(harness.emu.calls)
        await play(harness)
        refused = [
            (call.method, call.description)
            for call in harness.emu.calls[mark:]
            if call.error_code == 400
        ]
        assert refused == [], (title, refused)
    assert len(harness.emu.calls) > 100  # the scenes really ran
