"""Moderation's button data and scheduled kinds: one ``moderation:<verb>:args`` format, verbs
that read as words, every button within Telegram's 64 bytes even with the largest ids."""

from __future__ import annotations

import pytest
from telegram import InlineKeyboardMarkup

from bot.adapters.callbacks import MAX_BYTES, parse
from bot.context import BotData
from bot.i18n import Catalogues
from bot.moderation import callbacks, jobs
from bot.records.moderation import Report

LARGEST_CHAT = -1009999999999
LARGEST_USER = 9_999_999_999
LARGEST_ID = 2**40


@pytest.fixture(scope="module")
def data() -> BotData:
    found = BotData()
    found.texts = Catalogues.load()
    return found


def _report(kind: str) -> Report:
    return Report(
        id=LARGEST_ID,
        chat_id=LARGEST_CHAT,
        message_id=1,
        target_id=LARGEST_USER,
        kind=kind,
        status="open",
        outcome=None,
        handled_by=None,
        reports=1,
        created_at=0,
    )


def _data_of(markup: InlineKeyboardMarkup) -> list[str]:
    rows = markup.inline_keyboard
    return [str(button.callback_data) for row in rows for button in row]


def test_every_button_parses_as_a_moderation_word_verb(data: BotData) -> None:
    found = [
        *_data_of(callbacks.report_keyboard(data, "en", _report("report"))),
        *_data_of(callbacks.report_keyboard(data, "sw", _report("flag"))),
        *_data_of(callbacks.appeal_keyboard(data, "en", LARGEST_ID)),
        *_data_of(callbacks.tell_solicitor_keyboard(data, "en", LARGEST_CHAT, LARGEST_USER)),
        *_data_of(callbacks.stop_checkins_keyboard(data, "sw", LARGEST_ID)),
    ]
    verbs = {
        callbacks.REPORT_ACTION,
        callbacks.APPEAL_DECISION,
        callbacks.TELL_SOLICITOR,
        callbacks.STOP_CHECKINS,
    }
    assert len(found) == 4 + 3 + 2 + 1 + 1
    for raw in found:
        assert len(raw.encode()) <= MAX_BYTES, raw
        pressed = parse(raw)
        assert pressed.feature == "moderation"
        assert pressed.verb in verbs and len(pressed.verb) > 3
    assert {parse(raw).verb for raw in found} == verbs


def test_scheduled_kinds_and_job_names_follow_one_style() -> None:
    assert set(jobs.JOBS) == {
        "moderation.exclusion_end",
        "moderation.checkin",
        "moderation.admin_reminder",
        "moderation.tidy",
    }
    assert all(job.__name__.endswith("_job") for job in jobs.JOBS.values())
