"""The rhythm demo scene plays through the harness and shows the whole story."""

from __future__ import annotations

from bot.demo.scenes import rhythm
from tests.support import Harness


async def test_the_rhythm_scene_plays(harness: Harness) -> None:
    mark = harness.emu.transcript_mark()
    await rhythm.play(harness)
    seen = harness.emu.transcript(since=mark)
    for line in (
        "created the topic “Monthly circle”",
        "[topic: Monthly circle]",
        "Monthly circle — Opening",
        "Our ground rules",
        "Monthly circle — Closing round",
        "starts in an hour",
        "tell us anonymously how the session felt",
        "your answer is kept without your name",
        "Shall we adopt the proposed rules?",
        "Yes: 2, no: 0",
        "adopted by the group's decision",
    ):
        assert line in seen, line
