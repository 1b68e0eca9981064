from __future__ import annotations

import pytest

from bot.settings import Mode, SettingsError, load_settings
from tests.conftest import TEST_KEY, TEST_TOKEN


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.chdir(tmp_path)  # no developer .env is read
    for name in list(__import__("os").environ):
        if name.startswith("PAMOJA_"):
            monkeypatch.delenv(name)


def test_reads_prefixed_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAMOJA_TELEGRAM_TOKEN", TEST_TOKEN)
    monkeypatch.setenv("PAMOJA_DATA_KEY", TEST_KEY)
    monkeypatch.setenv("PAMOJA_BOT_API_URL", "http://127.0.0.1:8081/")
    monkeypatch.setenv("PAMOJA_MODE", "polling")
    settings = load_settings()
    assert settings.bot_api_url == "http://127.0.0.1:8081"
    assert settings.mode is Mode.POLLING
    assert settings.default_language == "en"
    assert settings.timezone == "Africa/Nairobi"
    assert TEST_TOKEN not in repr(settings)
    assert TEST_KEY not in repr(settings)


def test_reads_dot_env_file(tmp_path) -> None:
    (tmp_path / ".env").write_text(
        f"PAMOJA_TELEGRAM_TOKEN={TEST_TOKEN}\nPAMOJA_DATA_KEY={TEST_KEY}\nPAMOJA_LOG_LEVEL=debug\n"
    )
    assert load_settings().log_level == "DEBUG"


def test_missing_token_explains_botfather_and_demo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAMOJA_DATA_KEY", TEST_KEY)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    message = str(caught.value)
    assert "PAMOJA_TELEGRAM_TOKEN" in message
    assert "@BotFather" in message
    assert "demo" in message
    assert "Traceback" not in message


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("PAMOJA_DATA_KEY", "too-short", "PAMOJA_DATA_KEY"),
        ("PAMOJA_BOT_API_URL", "ftp://x", "PAMOJA_BOT_API_URL"),
        ("PAMOJA_TIMEZONE", "Mars/Olympus", "PAMOJA_TIMEZONE"),
        ("PAMOJA_DEFAULT_LANGUAGE", "fr", "PAMOJA_DEFAULT_LANGUAGE"),
        ("PAMOJA_MODE", "carrier-pigeon", "PAMOJA_MODE"),
        ("PAMOJA_TELEGRAM_TOKEN", "not a token", "PAMOJA_TELEGRAM_TOKEN"),
    ],
)
def test_malformed_setting_named_in_one_sentence(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, expected: str
) -> None:
    monkeypatch.setenv("PAMOJA_TELEGRAM_TOKEN", TEST_TOKEN)
    monkeypatch.setenv("PAMOJA_DATA_KEY", TEST_KEY)
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert expected in str(caught.value)
    assert value not in str(caught.value) or value == "fr"


def test_webhook_mode_needs_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAMOJA_TELEGRAM_TOKEN", TEST_TOKEN)
    monkeypatch.setenv("PAMOJA_DATA_KEY", TEST_KEY)
    monkeypatch.setenv("PAMOJA_MODE", "webhook")
    with pytest.raises(SettingsError, match="PAMOJA_WEBHOOK_URL"):
        load_settings()


def test_keygen_prints_a_usable_data_key(capsys: pytest.CaptureFixture[str]) -> None:
    import base64

    from bot.__main__ import main

    assert main(["keygen"]) == 0
    key = capsys.readouterr().out.strip()
    assert len(base64.urlsafe_b64decode(key)) == 32
