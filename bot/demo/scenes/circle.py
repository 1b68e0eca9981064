"""Scene placeholder: the circle feature adds its part of the demo here."""

from __future__ import annotations

from bot.demo.driver import Driver


async def play(driver: Driver) -> None:  # noqa: ARG001 - placeholder
    return None
