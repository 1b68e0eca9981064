"""Deployment settings, read from ``PAMOJA_*`` environment variables or a ``.env`` file.

Only configuration lives here. The token and the data key are secrets: they are kept as
``SecretStr`` so that printing the settings never shows them.
"""

from __future__ import annotations

import base64
import binascii
import os
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

TELEGRAM_API_ROOT = "https://api.telegram.org"
SUPPORTED_LANGUAGES = ("en", "sw")


class Mode(StrEnum):
    POLLING = "polling"
    WEBHOOK = "webhook"


class LogFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


class Settings(BaseSettings):
    """Everything a deployment can set. See ``config/example.env`` for each one explained."""

    model_config = SettingsConfigDict(
        env_prefix="PAMOJA_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        hide_input_in_errors=True,
        # `PAMOJA_CRISIS_LINES_PATH=` (as in config/example.env) means "use the default".
        env_ignore_empty=True,
    )

    telegram_token: SecretStr
    data_key: SecretStr
    bot_api_url: str = TELEGRAM_API_ROOT
    database_path: Path = Path("data/pamoja.sqlite3")
    mode: Mode = Mode.POLLING
    log_level: str = "INFO"
    log_format: LogFormat = LogFormat.TEXT
    default_language: str = "en"
    timezone: str = "Africa/Nairobi"
    default_country: str = "KE"

    webhook_url: str | None = None
    webhook_listen: str = "0.0.0.0"  # noqa: S104 - a webhook server listens on all interfaces
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    webhook_secret: SecretStr | None = None

    crisis_lines_path: Path | None = None
    retention_days: int = Field(default=90, ge=1, le=3650)

    talk_accept_minutes: int = Field(default=30, ge=1, le=24 * 60)
    talk_idle_hours: int = Field(default=24, ge=1, le=24 * 14)
    talk_requests_per_hour: int = Field(default=3, ge=1, le=20)

    # Operation: the heartbeat file `pamoja health` reads (default: beside the database),
    # how old its entries may be, how long start-up keeps retrying an unreachable Bot API,
    # and optional Prometheus metrics on their own port (off unless a port is set).
    heartbeat_path: Path | None = None
    health_max_age: int = Field(default=180, ge=10, le=86400)
    startup_retry_seconds: int = Field(default=900, ge=0, le=7 * 86400)
    metrics_port: int | None = Field(default=None, ge=1, le=65535)
    metrics_listen: str = "127.0.0.1"

    @field_validator("telegram_token")
    @classmethod
    def _token_shape(cls, value: SecretStr) -> SecretStr:
        token = value.get_secret_value().strip()
        bot_id, _, secret = token.partition(":")
        if not bot_id.isdigit() or len(secret) < 10:
            raise ValueError("token")
        return SecretStr(token)

    @field_validator("data_key")
    @classmethod
    def _key_shape(cls, value: SecretStr) -> SecretStr:
        """One key, or the new key first and then old ones, separated by commas."""
        keys = [key.strip() for key in value.get_secret_value().split(",") if key.strip()]
        if not keys:
            raise ValueError("data_key")
        for key in keys:
            try:
                raw = base64.urlsafe_b64decode(key.encode())
            except (binascii.Error, ValueError):
                raise ValueError("data_key") from None
            if len(raw) != 32:
                raise ValueError("data_key")
        return SecretStr(",".join(keys))

    @field_validator("bot_api_url")
    @classmethod
    def _url_shape(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("bot_api_url")
        return value.rstrip("/")

    @field_validator("webhook_url")
    @classmethod
    def _webhook_url(cls, value: str | None) -> str | None:
        """Telegram posts updates only to an https address with a host."""
        if value is None or not value.strip():
            return None
        parts = urlsplit(value.strip())
        if parts.scheme != "https" or not parts.hostname:
            raise ValueError("webhook_url")
        return value.strip()

    @field_validator("default_language")
    @classmethod
    def _language(cls, value: str) -> str:
        if value not in SUPPORTED_LANGUAGES:
            raise ValueError("default_language")
        return value

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("timezone") from None
        return value

    @field_validator("log_level")
    @classmethod
    def _log_level(cls, value: str) -> str:
        level = value.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("log_level")
        return level

    @model_validator(mode="after")
    def _webhook_needs_url(self) -> Settings:
        if self.mode is Mode.WEBHOOK and not self.webhook_url:
            raise ValueError("webhook_url")
        return self

    @property
    def webhook_path(self) -> str:
        """The path the webhook server listens at: the path of PAMOJA_WEBHOOK_URL (none: the
        root), so the address Telegram is given and the one served are always the same."""
        return urlsplit(self.webhook_url or "").path.strip("/")

    @property
    def data_keys(self) -> list[str]:
        """The data keys, the one new values are written with first."""
        return self.data_key.get_secret_value().split(",")

    @property
    def heartbeat_file(self) -> Path:
        if self.heartbeat_path is not None:
            return self.heartbeat_path
        return self.database_path.with_name(self.database_path.name + ".heartbeat")

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def bot_id(self) -> int:
        return int(self.telegram_token.get_secret_value().split(":", 1)[0])


# One sentence per setting: what is wrong and how to fix it. Printed instead of a traceback.
_HELP = {
    "telegram_token": (
        "PAMOJA_TELEGRAM_TOKEN is missing or malformed: create a bot with @BotFather in Telegram "
        "(send /newbot), put the token it gives you in PAMOJA_TELEGRAM_TOKEN, "
        "or run `python -m bot demo`, which needs no token."
    ),
    "data_key": (
        "PAMOJA_DATA_KEY is missing or malformed: it must be 32 random bytes in URL-safe base64 "
        "(or, while rotating, the new key then old ones separated by commas); "
        "make one with `pamoja keygen` and keep it safe "
        "(without it the stored support-person details cannot be read)."
    ),
    "bot_api_url": (
        "PAMOJA_BOT_API_URL must be the root URL of a Bot API server, starting with http:// or "
        "https://, for example https://api.telegram.org or http://127.0.0.1:8081."
    ),
    "default_language": "PAMOJA_DEFAULT_LANGUAGE must be one of: en, sw.",
    "timezone": "PAMOJA_TIMEZONE must be a time zone name such as Africa/Nairobi.",
    "log_level": "PAMOJA_LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL.",
    "mode": "PAMOJA_MODE must be `polling` or `webhook`.",
    "webhook_url": (
        "PAMOJA_WEBHOOK_URL is needed in webhook mode and must be the public https:// address "
        "Telegram should send updates to, for example https://pamoja.example.org/telegram."
    ),
    "webhook_port": "PAMOJA_WEBHOOK_PORT must be a port number between 1 and 65535.",
    "retention_days": "PAMOJA_RETENTION_DAYS must be a whole number of days between 1 and 3650.",
    "talk_accept_minutes": "PAMOJA_TALK_ACCEPT_MINUTES must be minutes between 1 and 1440.",
    "talk_idle_hours": "PAMOJA_TALK_IDLE_HOURS must be hours between 1 and 336.",
    "talk_requests_per_hour": "PAMOJA_TALK_REQUESTS_PER_HOUR must be between 1 and 20.",
    "log_format": "PAMOJA_LOG_FORMAT must be `text` or `json`.",
    "health_max_age": "PAMOJA_HEALTH_MAX_AGE must be seconds between 10 and 86400.",
    "startup_retry_seconds": (
        "PAMOJA_STARTUP_RETRY_SECONDS must be seconds between 0 and 604800 (0: do not retry)."
    ),
    "metrics_port": "PAMOJA_METRICS_PORT must be a port number between 1 and 65535, or empty.",
    "database_path": "PAMOJA_DATABASE_PATH must be a file path.",
    "crisis_lines_path": "PAMOJA_CRISIS_LINES_PATH must be a file path, or empty.",
    "heartbeat_path": "PAMOJA_HEARTBEAT_PATH must be a file path, or empty.",
}


class SettingsError(Exception):
    """A setting is missing or malformed; ``str(error)`` is one plain sentence per problem."""


def explain(error: ValidationError) -> str:
    """Turn a pydantic validation error into plain sentences naming the settings to fix."""
    sentences: list[str] = []
    for item in error.errors():
        field = str(item["loc"][0]) if item["loc"] else str(item.get("msg", ""))
        if not item["loc"]:
            message = str(item.get("msg", ""))
            field = message.rsplit(", ", 1)[-1] if message.startswith("Value error") else field
        sentence = _HELP.get(field) or f"PAMOJA_{field.upper()} is not valid."
        if sentence not in sentences:
            sentences.append(sentence)
    return "\n".join(sentences)


def load_settings(**overrides: Any) -> Settings:
    """Read the settings, raising ``SettingsError`` with plain sentences when they are wrong."""
    try:
        return Settings(**overrides)
    except ValidationError as error:
        raise SettingsError(explain(error)) from None


def _writable_dir(folder: Path) -> str | None:
    """Why files cannot be made in ``folder`` (creating it if need be), or None."""
    existing = folder
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        return f"{existing} is not a folder"
    if not os.access(existing, os.W_OK | os.X_OK):
        return f"the folder {existing} is not writable by this user (uid {os.getuid()})"
    return None


def check_paths(settings: Settings) -> None:
    """Resolve and check every path before start-up; ``SettingsError`` with one sentence each.

    Paths are made absolute (relative ones are relative to the working directory), so logs and
    messages say exactly which file is meant.
    """
    problems: list[str] = []
    database = settings.database_path.expanduser().resolve()
    settings.database_path = database
    if database.is_dir():
        problems.append(
            f"PAMOJA_DATABASE_PATH is the folder {database}: name a file in it, "
            f"for example {database / 'pamoja.sqlite3'}."
        )
    elif database.exists():
        if not os.access(database, os.R_OK | os.W_OK):
            problems.append(
                f"PAMOJA_DATABASE_PATH {database} cannot be read and written by this user "
                f"(uid {os.getuid()}): give it to this user (chown) or run as its owner."
            )
    elif (why := _writable_dir(database.parent)) is not None:
        problems.append(
            f"PAMOJA_DATABASE_PATH {database} cannot be created because {why}: "
            "make the folder writable by this user (for Docker, the volume mounted on /data) "
            "or point PAMOJA_DATABASE_PATH elsewhere."
        )
    if settings.crisis_lines_path is not None:
        lines = settings.crisis_lines_path.expanduser().resolve()
        settings.crisis_lines_path = lines
        if not lines.is_file():
            state = "is a folder" if lines.is_dir() else "does not exist"
            problems.append(
                f"PAMOJA_CRISIS_LINES_PATH {lines} {state}: name a TOML file like "
                "config/crisis_lines.toml, or leave it empty for the built-in lines."
            )
        elif not os.access(lines, os.R_OK):
            problems.append(f"PAMOJA_CRISIS_LINES_PATH {lines} cannot be read by this user.")
    heartbeat = settings.heartbeat_file.expanduser().resolve()
    settings.heartbeat_path = heartbeat
    if heartbeat.is_dir():
        problems.append(f"PAMOJA_HEARTBEAT_PATH is the folder {heartbeat}: name a file.")
    elif not problems and (why := _writable_dir(heartbeat.parent)) is not None:
        problems.append(f"PAMOJA_HEARTBEAT_PATH {heartbeat} cannot be written because {why}.")
    if problems:
        raise SettingsError("\n".join(problems))
