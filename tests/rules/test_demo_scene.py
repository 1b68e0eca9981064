"""The rules demo scene plays through the harness and shows the whole story."""

from __future__ import annotations

from bot.demo.scenes import rules, settings
from tests.support import Harness


async def test_the_rules_scene_plays(harness: Harness) -> None:
    mark = harness.emu.transcript_mark()
    await rules.play(harness)
    seen = harness.emu.transcript(since=mark)
    for line in (
        "Welcome, Neema!",
        "This button is for the person who just joined",
        "Pamoja lifted the restrictions on Neema",
        "Neema: Hello everyone",
        "A gentle reminder for all of us",
        "Our regular reminder: our ground rules are pinned at the top of the group",
        "Pamoja pinned",
    ):
        assert line in seen, line


async def test_the_settings_scene_shows_the_menu(harness: Harness) -> None:
    mark = harness.emu.transcript_mark()
    await settings.play(harness)
    seen = harness.emu.transcript(since=mark)
    for line in (
        "Settings are changed by tapping, in our private chat",
        "Which group's settings?",
        "Saved — members are asked to agree again after changes: on",
        "Saved — the rules reminder is at 18:00",
        "Saved — the group's own line “Mathare Peer Hub” was added",
        "Settings of Mathare Peer Circle saved",
        "Imehifadhiwa — lugha ya kikundi ni Kiswahili",
        "Kanuni",
    ):
        assert line in seen, line
