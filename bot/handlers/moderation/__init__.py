"""Moderation, the Telegram side: the measure commands, reports and flags, appeals, the admin
team chat and the log, the blocklist gate, and one handler for every moderation button.

The handlers read the update, check who may act, call ``bot.moderation`` and answer. What the
measures do, and their timed work, live in ``bot/moderation/`` (``measures.py``, ``support.py``,
``jobs.py``, ...).
"""

from __future__ import annotations

from telegram.ext import CommandHandler, filters

from bot.adapters.callbacks import callback_handler
from bot.adapters.menus import MenuEntry
from bot.handlers.feature import Feature, Handler
from bot.handlers.moderation import (
    adminchat,
    appeals,
    blocklist,
    flags,
    measures,
    reports,
    support,
)
from bot.moderation import callbacks, jobs
from bot.moderation import support as moderation_support

GROUPS = filters.ChatType.GROUPS
PRIVATE = filters.ChatType.PRIVATE

MENU: tuple[MenuEntry, ...] = (
    MenuEntry("report", group=True),
    MenuEntry("appeal", private=True),
    MenuEntry("warn", admin=True),
    MenuEntry("mute", admin=True),
    MenuEntry("unmute", admin=True),
    MenuEntry("exclude", admin=True),
    MenuEntry("readmit", admin=True),
    MenuEntry("solicitor", admin=True),
    MenuEntry("unblock", admin=True),
    MenuEntry("log", admin=True),
    MenuEntry("linkadmins", admin=True),
    MenuEntry("flagging", admin=True),
)


def commands() -> list[Handler]:
    in_group = {
        "warn": measures.warn,
        "mute": measures.mute,
        "unmute": measures.unmute,
        "exclude": measures.exclude,
        "readmit": measures.readmit,
        "solicitor": measures.solicitor,
        "unblock": measures.unblock,
        "report": reports.report,
        "flagging": flags.flagging,
        "appeal": appeals.appeal_in_group,
        "linkadmins": adminchat.linkadmins,
        "unlinkadmins": adminchat.unlinkadmins,
        "log": adminchat.log_command,
    }
    in_private = {
        "appeal": appeals.appeal,
        "answer": appeals.answer,
        "log": adminchat.log_in_private,
    }
    return [
        *(CommandHandler(name, callback, filters=GROUPS) for name, callback in in_group.items()),
        CommandHandler(list(measures.COMMANDS), measures.in_private, filters=PRIVATE),
        *(
            CommandHandler(name, callback, filters=PRIVATE)
            for name, callback in in_private.items()
        ),
        callback_handler(
            callbacks.FEATURE,
            {
                callbacks.REPORT_ACTION: reports.on_report_action,
                callbacks.APPEAL_DECISION: appeals.on_appeal_decision,
                callbacks.TELL_SOLICITOR: measures.on_tell_solicitor,
                callbacks.STOP_CHECKINS: support.on_stop_checkins,
            },
        ),
    ]


def feature() -> Feature:
    return Feature(
        name="moderation",
        menu=MENU,
        blocklist=blocklist.gates(),
        commands=commands(),
        observers=flags.observers(),
        jobs=jobs.JOBS,
        delivered={moderation_support.SUPPORT: moderation_support.support_delivered},
        undeliverable={
            moderation_support.WELCOME_BACK: moderation_support.welcome_back_undeliverable
        },
    )
