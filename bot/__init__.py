"""Pamoja: a Telegram bot for moderated virtual peer support groups."""

import os

# python-telegram-bot 22 gives durations (RetryAfter.retry_after) as timedelta with this set,
# and warns about the old int form otherwise.
os.environ.setdefault("PTB_TIMEDELTA", "1")
