"""Running Pamoja for years: backups, restores, key rotation, health, heartbeat, metrics.

Operator-facing only: everything here prints plain English for the person running the bot,
never anything a member wrote, and never a secret.
"""

from __future__ import annotations


class OpsError(Exception):
    """An operation cannot go ahead; ``str(error)`` is one sentence saying why and what to do."""
