"""The moderation tests' peer group (Wanjiru owns it, Otieno a second admin, Juma and Neema
members; Neema never started the bot), reused here."""

from tests.moderation.e2e.conftest import cast

__all__ = ["cast"]
