"""Errors that carry a kind answer for the person. Imports nothing of the package.

A service or handler that refuses raises a subclass of ``UserFacingError`` with a catalogue
key; the one error handler (``bot/handlers/errors.py``) answers it in the reader's language:
as a pop-up for a button press, as a message otherwise. Nothing was changed.
"""

from __future__ import annotations

from typing import Any


class UserFacingError(Exception):
    """The person gets a kind answer (catalogue ``key`` with ``values``); nothing changed."""

    key = "error.generic"

    def __init__(self, key: str | None = None, **values: Any) -> None:
        super().__init__(key or self.key)
        self.key = key or self.key
        self.values = values


class StaleButtonError(UserFacingError):
    """A button whose data is forged, malformed, or for something that has moved on."""

    key = "common.stale"


class NotForYouError(UserFacingError):
    """Someone pressed a button meant for another person."""

    key = "common.not_for_you"


class AdminsOnlyError(UserFacingError):
    """An administrator's command or button, used by someone who is not one."""

    key = "common.admins_only"


class RefusedError(UserFacingError):
    """A measure or request that cannot go ahead (the key says why)."""
