"""The moderation tests' peer group (two admins and Juma started the bot; Neema did not)."""

from __future__ import annotations

from tests.moderation.e2e.conftest import cast

__all__ = ["cast"]
