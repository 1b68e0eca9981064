"""Moderation's buttons: their data (``moderation:<verb>:args``) and the keyboards that carry them.

* ``report_action:REPORT:ACTION`` — an admin's one-tap answer to a report or a flag.
* ``appeal_decision:APPEAL:lift|keep`` — an admin lifts or keeps the appealed measure.
* ``tell_solicitor:CHAT:USER`` — an admin asks that the excluded solicitor be told briefly.
* ``stop_checkins:SANCTION`` — the excluded member asks for no more check-ins.
* ``unblock_in:CHAT:USER`` / ``readmit_in:CHAT:USER`` — the group an admin picked in the private
  chat for /unblock or /readmit.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot.adapters.keyboards import button, keyboard
from bot.context import BotData
from bot.records.moderation import Report

FEATURE = "moderation"

REPORT_ACTION = "report_action"
APPEAL_DECISION = "appeal_decision"
TELL_SOLICITOR = "tell_solicitor"
STOP_CHECKINS = "stop_checkins"
UNBLOCK_IN = "unblock_in"
READMIT_IN = "readmit_in"

# The one-tap answers each kind of report offers, in button order (two per row).
REPORT_ACTIONS: dict[str, tuple[str, ...]] = {
    "report": ("warn", "mute", "remove", "fine"),
    "flag": ("solicitor", "warn", "fine"),
}
APPEAL_DECISIONS = ("lift", "keep")


def report_keyboard(data: BotData, lang: str, report: Report) -> InlineKeyboardMarkup:
    buttons = [
        button(
            data.texts.t(lang, f"moderation.button_{report.kind}_{action}"),
            FEATURE,
            REPORT_ACTION,
            report.id,
            action,
        )
        for action in REPORT_ACTIONS[report.kind]
    ]
    return keyboard(buttons[:2], buttons[2:])


def appeal_keyboard(data: BotData, lang: str, appeal_id: int) -> InlineKeyboardMarkup:
    return keyboard(
        [
            button(
                data.texts.t(lang, f"moderation.appeal_{decision}_button"),
                FEATURE,
                APPEAL_DECISION,
                appeal_id,
                decision,
            )
            for decision in APPEAL_DECISIONS
        ]
    )


def tell_solicitor_keyboard(
    data: BotData, lang: str, chat_id: int, user_id: int
) -> InlineKeyboardMarkup:
    label = data.texts.t(lang, "moderation.tell_button")
    return keyboard([button(label, FEATURE, TELL_SOLICITOR, chat_id, user_id)])


def stop_checkins_keyboard(data: BotData, lang: str, sanction_id: int) -> InlineKeyboardMarkup:
    label = data.texts.t(lang, "moderation.checkins_stop_button")
    return keyboard([button(label, FEATURE, STOP_CHECKINS, sanction_id)])
