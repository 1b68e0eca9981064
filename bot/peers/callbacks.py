"""The peers feature's button data (``peers:<verb>:<args>``) and its keyboards."""

from __future__ import annotations

from typing import TYPE_CHECKING

from telegram import InlineKeyboardMarkup

from bot.adapters.keyboards import button, keyboard
from bot.peers import FEATURE, cadence
from bot.records.peers import AFTER, QUIET

if TYPE_CHECKING:
    from bot.context import BotData
    from bot.records.peers import CheckIn

WHEN = "when"  # kind, days
WHO = "who"  # kind, days, bot | buddy | <group id>
CANCEL = "cancel"  # check_in_id
BOT = "bot"
BUDDY = "buddy"


def when_choices(data: BotData, lang: str, current: list[CheckIn]) -> InlineKeyboardMarkup:
    t = data.texts.t
    rows = [
        [button(t(lang, f"peers.when_{AFTER}_{days}"), FEATURE, WHEN, AFTER, days)]
        for days in cadence.AFTER_DAYS
    ]
    rows += [
        [button(t(lang, f"peers.when_{QUIET}_{days}"), FEATURE, WHEN, QUIET, days)]
        for days in cadence.QUIET_DAYS
    ]
    rows += [
        [button(t(lang, "peers.cancel_check_in", n=index), FEATURE, CANCEL, check_in.id)]
        for index, check_in in enumerate(current, 1)
    ]
    return keyboard(*rows)


def who_choices(
    data: BotData,
    lang: str,
    kind: str,
    days: int,
    groups: list[tuple[int, str]],
    *,
    buddy: bool = False,
) -> InlineKeyboardMarkup:
    t = data.texts.t
    rows = [[button(t(lang, "peers.who_bot"), FEATURE, WHO, kind, days, BOT)]]
    if buddy:
        rows.append([button(t(lang, "peers.who_buddy"), FEATURE, WHO, kind, days, BUDDY)])
    rows += [
        [button(t(lang, "peers.who_admin", group=title), FEATURE, WHO, kind, days, chat_id)]
        for chat_id, title in groups
    ]
    return keyboard(*rows)
