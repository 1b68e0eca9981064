from __future__ import annotations

import logging

import pytest

from bot.logs import (
    Privacy,
    RedactSecrets,
    configure_logging,
    install_privacy,
    uninstall_privacy,
)

TOKEN = "123456:SECRET-token-value"


def test_secret_is_masked_in_messages_and_arguments() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "url %s", (f"/bot{TOKEN}/x",), None)
    RedactSecrets([TOKEN]).filter(record)
    assert TOKEN not in record.getMessage()
    assert "<secret>" in record.getMessage()


def test_debug_level_never_opens_library_call_logs(monkeypatch: pytest.MonkeyPatch) -> None:
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    try:
        configure_logging("DEBUG", [TOKEN])
        assert logging.getLogger("telegram").getEffectiveLevel() == logging.INFO
        assert logging.getLogger("aiosqlite").getEffectiveLevel() == logging.INFO
        assert logging.getLogger("httpx").getEffectiveLevel() == logging.WARNING
        assert logging.getLogger("bot").getEffectiveLevel() == logging.DEBUG
    finally:
        uninstall_privacy()
        root.handlers[:], _ = saved[0], root.setLevel(saved[1])
        for name in (
            "telegram",
            "aiosqlite",
            "httpx",
            "httpcore",
            "apscheduler",
            "tornado.access",
        ):
            logging.getLogger(name).setLevel(logging.NOTSET)


def test_ids_and_times_survive_the_privacy_filter() -> None:
    """Over-redaction would blind the logs: ids, chat ids, counts and times stay."""
    privacy = Privacy([TOKEN])
    line = "update 123456789 in -1001000000001 failed at 2026-12-03 07:44:21 after 0.25 s (v12)"
    assert privacy.scrub(line) == line
    assert privacy.scrub("call +254 712 345 678 or 0712345678") == "call <phone> or <phone>"
    assert privacy.scrub("ask @wanjiku_o, not x@y.z") == "ask @<user>, not x@y.z"


def test_a_line_the_filter_cannot_clean_is_withheld_not_raised(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    privacy = install_privacy([TOKEN])
    try:

        def broken(record: logging.LogRecord) -> bool:
            raise RuntimeError("a bug in the filter")

        monkeypatch.setattr(privacy, "filter", broken)
        logging.getLogger("bot.x").warning("hello %s", "Wanjiku")
    finally:
        uninstall_privacy()
    assert privacy.failures == 1
    assert [r.getMessage() for r in caplog.records] == [
        "log line withheld: it could not be cleaned"
    ]


def test_a_dict_argument_keeps_its_shape_not_its_personal_values() -> None:
    privacy = Privacy([TOKEN])
    record = logging.LogRecord(
        "telegram.ext",
        logging.CRITICAL,
        __file__,
        1,
        "Received data was: %r",
        ({"update_id": 7, "first_name": "Neema", "message": {"text": "hi"}},),
        None,
    )
    privacy.filter(record)
    assert record.getMessage() == (
        "Received data was: {'update_id': 7, 'first_name': '<private>', 'message': '<data>'}"
    )


def test_remembered_names_are_matched_as_whole_words() -> None:
    privacy = Privacy()
    privacy.remember({"message": {"from": {"first_name": "Ann"}, "text": "I feel low today"}})
    assert privacy.scrub("Announcement for Ann: I feel low today.") == (
        "Announcement for <private>: <private>."
    )
