"""The demo's scenes, in the order they are played. Each is ``async def play(driver)``."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.demo.driver import Driver
from bot.demo.scenes import circle, foundation, moderation, rules, settings, talk

Scene = Callable[[Driver], Awaitable[None]]

SCENES: tuple[tuple[str, Scene], ...] = (
    ("A group sets up Pamoja", foundation.play),
    ("Ground rules", rules.play),
    ("Settings by tapping", settings.play),
    ("Moderation", moderation.play),
    ("My circle and consent", circle.play),
    ("One-to-one support", talk.play),
)
