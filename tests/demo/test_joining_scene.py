"""The "Join modes" demo scene plays through the harness and shows the whole story."""

from __future__ import annotations

from bot.demo.scenes import joining
from tests.support import Harness


async def test_the_join_modes_scene_plays(harness: Harness) -> None:
    mark = harness.emu.transcript_mark()
    await joining.play(harness)
    seen = harness.emu.transcript(since=mark)
    order = [
        "Kevin asked to join",
        "Kevin: pressed [I agree]",
        "has agreed to the ground rules. Would you approve or decline",
        "Pamoja approved Kevin's request to join",
        "New members join this group by a personal invitation",
        "Pamoja declined Stranger's request to join",
        "Faith joined the group via invite link",
        "Pamoja lifted the restrictions on Faith",
        "was also a member of Pamoja Invitation Group: I have removed them",
    ]
    at = [seen.find(line) for line in order]
    assert -1 not in at, [line for line, where in zip(order, at, strict=True) if where < 0]
    assert at == sorted(at)
    assert seen.count("Pamoja banned Coach Sam forever") == 2
