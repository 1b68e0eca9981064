"""The limits of one-to-one contact, per deployment (``PAMOJA_TALK_*`` settings)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.context import BotData
    from bot.settings import Settings

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
    # How long the bot waits for a topic line or a feedback text (and keeps a feedback draft).
    prompt_hours: int = 24

    @classmethod
    def from_settings(cls, settings: Settings) -> TalkPolicy:
        return cls(
            accept_minutes=settings.talk_accept_minutes,
            idle_hours=settings.talk_idle_hours,
            requests_per_hour=settings.talk_requests_per_hour,
        )

    @property
    def accept_seconds(self) -> int:
        return self.accept_minutes * 60

    @property
    def idle_seconds(self) -> int:
        return self.idle_hours * 3600

    @property
    def prompt_seconds(self) -> int:
        return self.prompt_hours * 3600


def policy(data: BotData) -> TalkPolicy:
    """The deployment's policy (set from its settings at build time; tests may set their own)."""
    return data.talk_policy


def set_policy(data: BotData, value: TalkPolicy) -> None:
    data.talk_policy = value
