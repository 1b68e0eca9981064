"""The Bot API methods the emulator implements, by lower-cased name."""

from __future__ import annotations

from emulator.methods import bot_profile, invites, media, members, messaging, polls
from emulator.methods.base import MethodSpec


def method_table() -> dict[str, MethodSpec]:
    specs = (
        *bot_profile.SPECS,
        *messaging.SPECS,
        *media.SPECS,
        *members.SPECS,
        *invites.SPECS,
        *polls.SPECS,
    )
    return {spec.name.lower(): spec for spec in specs}


__all__ = ["MethodSpec", "method_table"]
