"""The feature registers cleanly in the real Application (no PTB warnings, jobs known)."""

from __future__ import annotations

from bot.app import build_application
from bot.handlers.router import menu
from bot.settings import Settings


def test_handlers_and_jobs_register(settings: Settings) -> None:
    app = build_application(settings, rate_limit=False)
    assert {
        "rules.reminder",
        "rules.gate_reminder",
        "rules.request_reminder",
        "rules.request_expiry",
    } <= app.bot_data.scheduler.kinds
    commands = {entry.command for entry in menu()}
    assert {"rules", "setrules", "remind", "settings"} <= commands
    for command in ("rules", "setrules", "remind", "settings"):
        for lang in ("en", "sw"):
            assert app.bot_data.texts.raw(lang, f"menu.{command}")
