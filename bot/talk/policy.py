"""The limits of one-to-one contact, per deployment (``PAMOJA_TALK_*`` settings)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.context import BotData

_EXTRAS_KEY = "talk_policy"
TOPIC_MAX_CHARS = 200
FEEDBACK_MAX_CHARS = 2000


@dataclass(frozen=True)
class TalkPolicy:
    """How long a request waits, when a quiet conversation closes, how often one may ask."""

    # Nobody accepted within this time: the member is told, the request is sent once more.
    accept_minutes: int = 30
    # A conversation with no message either way for this long closes itself, with notice.
    idle_hours: int = 24
    # Requests a member may make in one hour.
    requests_per_hour: int = 3
    # The optional line about the topic, and anonymous feedback.
    topic_max_chars: int = TOPIC_MAX_CHARS
    feedback_max_chars: int = FEEDBACK_MAX_CHARS

    @property
    def accept_seconds(self) -> int:
        return self.accept_minutes * 60

    @property
    def idle_seconds(self) -> int:
        return self.idle_hours * 3600


def policy(data: BotData) -> TalkPolicy:
    """The deployment's policy, from its settings (tests may set their own)."""
    found = data.extras.get(_EXTRAS_KEY)
    if not isinstance(found, TalkPolicy):
        settings = data.settings
        found = TalkPolicy(
            accept_minutes=settings.talk_accept_minutes,
            idle_hours=settings.talk_idle_hours,
            requests_per_hour=settings.talk_requests_per_hour,
        )
        data.extras[_EXTRAS_KEY] = found
    return found


def set_policy(data: BotData, value: TalkPolicy) -> None:
    data.extras[_EXTRAS_KEY] = value
