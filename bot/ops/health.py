"""``pamoja health``: exit 0 when the running bot's heartbeat is fresh, 1 with a sentence if not.

Healthy means both, within ``PAMOJA_HEALTH_MAX_AGE`` seconds: a successful exchange with the
Bot API (long polling makes one at least every few seconds) and a passed database check. It
reads the heartbeat file only, so it is cheap enough for Docker's ``HEALTHCHECK``.
"""

from __future__ import annotations

import json
import time
from pathlib import Path


def check(path: Path, max_age: float, now: float | None = None) -> tuple[bool, str]:
    now = time.time() if now is None else now
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return False, f"unhealthy: no heartbeat at {path} (is the bot running, or starting?)"
    except (OSError, ValueError) as error:
        return False, f"unhealthy: cannot read the heartbeat at {path} ({type(error).__name__})"
    problems = []
    for key, what in (("api_ok_at", "the Bot API"), ("db_ok_at", "the database")):
        stamp = data.get(key)
        if not isinstance(stamp, int | float):
            problems.append(f"no successful exchange with {what} yet")
        elif now - stamp > max_age:
            problems.append(f"last success with {what} {now - stamp:.0f} s ago")
    if problems:
        return False, "unhealthy: " + "; ".join(problems) + f" (allowed: {max_age:.0f} s)"
    api_age, db_age = now - data["api_ok_at"], now - data["db_ok_at"]
    return True, f"healthy: Bot API {api_age:.0f} s ago, database {db_age:.0f} s ago"
