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
    people,
    reports,
    support,
)
from bot.moderation import callbacks, jobs, tidy
from bot.moderation import support as exclusion_support

GROUPS = filters.ChatType.GROUPS
PRIVATE = filters.ChatType.PRIVATE

MENU: tuple[MenuEntry, ...] = (
    MenuEntry("report", group=True),
    MenuEntry("appeal"),
    MenuEntry("warn", admin=True),
    MenuEntry("mute", admin=True),
    MenuEntry("unmute"),
    MenuEntry("exclude", admin=True),
    MenuEntry("readmit"),
    MenuEntry("solicitor"),
    MenuEntry("unblock"),
    MenuEntry("log", private=True, admin=True),
    MenuEntry("answer", private=True),
    MenuEntry("linkadmins"),
    MenuEntry("flagging"),
    MenuEntry("id"),
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
        "id": people.id_group,
    }
    in_private = {
        "appeal": appeals.appeal,
        "answer": appeals.answer,
        "log": adminchat.log_in_private,
        "id": people.id_private,
        "unblock": people.unblock_private,
        "readmit": people.readmit_private,
    }
    return [
        *(CommandHandler(name, callback, filters=GROUPS) for name, callback in in_group.items()),
        CommandHandler(
            [c for c in measures.COMMANDS if c not in in_private],
            measures.in_private,
            filters=PRIVATE,
        ),
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
                callbacks.UNBLOCK_IN: people.on_unblock_pick,
                callbacks.READMIT_IN: people.on_readmit_pick,
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
        latest_only=jobs.LATEST_ONLY,
        arrivals=(exclusion_support.arrived,),
        catch_up=(exclusion_support.catch_up,),
        delivered={
            exclusion_support.SUPPORT: exclusion_support.support_delivered,
            tidy.BRIEF: tidy.brief_delivered,
        },
        undeliverable={
            exclusion_support.WELCOME_BACK: exclusion_support.welcome_back_undeliverable
        },
    )
