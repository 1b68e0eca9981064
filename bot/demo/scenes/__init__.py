"""The demo's scenes, in the order they are played. Each is ``async def play(driver)``."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.demo.driver import Driver
from bot.demo.scenes import (
    circle,
    first_week,
    foundation,
    joining,
    moderation,
    rhythm,
    rules,
    settings,
    talk,
)

Scene = Callable[[Driver], Awaitable[None]]

SCENES: tuple[tuple[str, Scene], ...] = (
    ("A group sets up Pamoja", foundation.play),
    ("Ground rules", rules.play),
    ("Settings by tapping", settings.play),
    ("Moderation", moderation.play),
    ("Join modes", joining.play),
    ("My circle and consent", circle.play),
    ("One-to-one support", talk.play),
    ("A group's first week: admins start late, nothing is lost", first_week.play),
    ("The group's rhythm: sessions, reminders, a rules poll", rhythm.play),
)
