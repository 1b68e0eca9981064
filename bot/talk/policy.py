"""The limits of one-to-one contact, configurable per deployment (``PAMOJA_TALK_*``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

if TYPE_CHECKING:
    from bot.context import BotData

_EXTRAS_KEY = "talk_policy"


class TalkPolicy(BaseSettings):
    """How long a request waits, when a quiet conversation closes, how often one may ask."""

    model_config = SettingsConfigDict(
        env_prefix="PAMOJA_TALK_", env_file=".env", extra="ignore", frozen=True
    )

    # Nobody accepted within this time: the member is told, the request is sent once more.
    accept_minutes: int = Field(default=30, ge=1, le=24 * 60)
    # A conversation with no message either way for this long closes itself, with notice.
    idle_hours: int = Field(default=24, ge=1, le=24 * 14)
    # Requests a member may make in one hour.
    requests_per_hour: int = Field(default=3, ge=1, le=20)
    # The optional line about the topic.
    topic_max_chars: int = Field(default=200, ge=20, le=1000)
    feedback_max_chars: int = Field(default=2000, ge=100, le=4000)

    @property
    def accept_seconds(self) -> int:
        return self.accept_minutes * 60

    @property
    def idle_seconds(self) -> int:
        return self.idle_hours * 3600


def policy(data: BotData) -> TalkPolicy:
    """The deployment's policy (read once from the environment; tests may set their own)."""
    found = data.extras.get(_EXTRAS_KEY)
    if not isinstance(found, TalkPolicy):
        found = TalkPolicy()
        data.extras[_EXTRAS_KEY] = found
    return found


def set_policy(data: BotData, value: TalkPolicy) -> None:
    data.extras[_EXTRAS_KEY] = value
