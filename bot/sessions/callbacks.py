"""The sessions feature's button data (``sessions:<verb>:<args>``) and its keyboards."""

from __future__ import annotations

from typing import TYPE_CHECKING

from telegram import InlineKeyboardMarkup

from bot.adapters.keyboards import button, keyboard, link_button
from bot.records.sessions import PulseSubject
from bot.sessions import FEATURE, template

if TYPE_CHECKING:
    from bot.context import BotData

# The facilitator's controls on a part of a running session.
NEXT = "next"  # run_id, step, parts skipped so far
SKIP = "skip"  # run_id, step, parts skipped so far
MORE = "more_time"  # run_id, step, parts skipped so far
# A member's reminder choice.
REMIND = "remind"  # session_id, choice
DAY, HOUR, BOTH, NONE = "day", "hour", "both", "none"
CHOICES = (DAY, HOUR, BOTH, NONE)
# The anonymous pulse after a meeting, and the group's reflection.
PULSE = "pulse"  # kind (run | reflection), id, answer
PULSE_SKIP = "pulse_skip"  # kind, id
# A member's optional self-description.
SELF = "self"  # lived | family | none
SELF_KINDS = ("lived", "family", "none")
# Rules put to the group.
ADOPT = "adopt"  # poll row id
# /stats for one of the person's groups.
STATS = "stats"  # chat_id
# /reminders: show the choices for one session.
ASK = "ask"


def controls(
    data: BotData, lang: str, run_id: int, step: int, skipped: tuple[str, ...]
) -> InlineKeyboardMarkup:
    """Next (naming the part that follows), Skip it when it is optional (the current part goes
    on), and More time; on the last part, Close the session."""
    t = data.texts.t
    state = (run_id, step, len(skipped))
    following = template.upcoming(step, skipped)
    if following is None:
        return keyboard([button(t(lang, "sessions.close_button"), FEATURE, NEXT, *state)])
    name = t(lang, f"sessions.name_{following}")
    rows = [[button(t(lang, "sessions.next_button", part=name), FEATURE, NEXT, *state)]]
    if template.can_skip_next(step, skipped):
        rows.append([button(t(lang, "sessions.skip_button", part=name), FEATURE, SKIP, *state)])
    rows.append([button(t(lang, "sessions.more_button"), FEATURE, MORE, *state)])
    return keyboard(*rows)


def reminder_choices(data: BotData, lang: str, session_id: int) -> InlineKeyboardMarkup:
    t = data.texts.t
    return keyboard(
        *(
            [button(t(lang, f"sessions.remind_{choice}"), FEATURE, REMIND, session_id, choice)]
            for choice in CHOICES
        )
    )


def pulse_choices(
    data: BotData, lang: str, subject: PulseSubject, answers: tuple[str, ...]
) -> InlineKeyboardMarkup:
    t = data.texts.t
    return keyboard(
        *(
            [button(t(lang, f"sessions.answer_{a}"), FEATURE, PULSE, subject.kind, subject.id, a)]
            for a in answers
        ),
    )


def pulse_skip(data: BotData, lang: str, subject: PulseSubject) -> InlineKeyboardMarkup:
    label = data.texts.t(lang, "sessions.pulse_no_more")
    return keyboard([button(label, FEATURE, PULSE_SKIP, subject.kind, subject.id)])


def self_choices(data: BotData, lang: str) -> InlineKeyboardMarkup:
    t = data.texts.t
    return keyboard(
        *([button(t(lang, f"sessions.self_{k}"), FEATURE, SELF, k)] for k in SELF_KINDS)
    )


def adopt_button(data: BotData, lang: str, poll_row: int) -> InlineKeyboardMarkup:
    return keyboard(
        [button(data.texts.t(lang, "sessions.adopt_button"), FEATURE, ADOPT, poll_row)]
    )


def link(data: BotData, lang: str, key: str, url: str) -> InlineKeyboardMarkup:
    return keyboard([link_button(data.texts.t(lang, key), url)])
