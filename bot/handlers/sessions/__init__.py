"""The group's rhythm, the Telegram side: /session, /reminders, /rulespoll, /stats, the
facilitator's buttons, members' reminder choices, the pulse, and Telegram's poll counts."""

from __future__ import annotations

from telegram.ext import CommandHandler, PollHandler, filters

from bot.adapters.callbacks import ButtonHandler, callback_handler
from bot.adapters.menus import MenuEntry
from bot.handlers.feature import Feature, Handler
from bot.handlers.sessions import facilitate, pulse, rhythm, rules_poll, stats
from bot.sessions import FEATURE, callbacks
from bot.sessions.jobs import jobs
from bot.sessions.pulse import IMPROVE

PRIVATE = filters.ChatType.PRIVATE
GROUPS = filters.ChatType.GROUPS

MENU: tuple[MenuEntry, ...] = (
    MenuEntry("reminders", private=True),
    # In /help (the menus stay short): the figures, the self-description, sessions, polls.
    MenuEntry("stats"),
    MenuEntry("aboutme"),
    MenuEntry("session"),
    MenuEntry("rulespoll"),
)

BUTTONS: dict[str, ButtonHandler] = {
    callbacks.NEXT: facilitate.next_part,
    callbacks.SKIP: facilitate.skip_part,
    callbacks.MORE: facilitate.more_time,
    callbacks.REMIND: rhythm.remind_choice,
    callbacks.PULSE: pulse.answer,
    callbacks.PULSE_SKIP: pulse.nothing_to_add,
    callbacks.SELF: pulse.self_chosen,
    callbacks.ADOPT: rules_poll.adopt,
    callbacks.STATS: stats.stats_group,
}


def commands() -> list[Handler]:
    return [
        CommandHandler("session", rhythm.session_command, filters=GROUPS),
        CommandHandler("session", rhythm.session_in_private, filters=PRIVATE),
        CommandHandler("reminders", rhythm.reminders_command, filters=PRIVATE),
        CommandHandler("rulespoll", rules_poll.rulespoll_command, filters=GROUPS),
        CommandHandler("stats", stats.stats_command, filters=PRIVATE),
        CommandHandler("aboutme", pulse.aboutme_command, filters=PRIVATE),
        callback_handler(FEATURE, BUTTONS),
        PollHandler(rules_poll.poll_counted),
    ]


def feature() -> Feature:
    return Feature(
        name="sessions",
        menu=MENU,
        commands=commands(),
        jobs=jobs(),
        start_payloads={
            "remind_": rhythm.remind_link,
            "pulse_": pulse.pulse_link,
            "reflect_": pulse.reflect_link,
        },
        awaiting={IMPROVE: pulse.improve_received},
    )
