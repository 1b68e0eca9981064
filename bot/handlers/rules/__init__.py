"""Ground rules on the Telegram side: ``/rules``, ``/setrules``, ``/remind``, ``/settings``,
the join gate and approval mode. Each module reads the update, checks who may act, calls the
service in ``bot/rules`` and answers; this one hands the feature to the router.
"""

from __future__ import annotations

from telegram.ext import ChatJoinRequestHandler, ChatMemberHandler, CommandHandler, filters

from bot.adapters.callbacks import callback_handler
from bot.adapters.menus import MenuEntry
from bot.handlers.feature import Feature
from bot.handlers.rules import editing, gate, reading, settings
from bot.rules import callbacks
from bot.rules import gate as rules_gate
from bot.rules.editing import WRITING
from bot.rules.jobs import jobs

PRIVATE = filters.ChatType.PRIVATE
GROUPS = filters.ChatType.GROUPS

MENU: tuple[MenuEntry, ...] = (
    MenuEntry("rules", private=True, group=True),
    MenuEntry("setrules", admin=True),
    MenuEntry("remind", admin=True),
    MenuEntry("settings", admin=True),
)


def feature() -> Feature:
    awaiting = {WRITING: editing.receive_rules}
    buttons = callback_handler(
        callbacks.FEATURE,
        {
            callbacks.AGREE: gate.agree,
            callbacks.REACCEPT: editing.reaccept,
            callbacks.SHOW: reading.show_picked,
            callbacks.JOIN: gate.applicant_agrees,
            callbacks.APPROVE: gate.approve,
            callbacks.DECLINE: gate.decline,
        },
    )
    return Feature(
        name="rules",
        menu=MENU,
        # Before the commands: joins and leaves, and /cancel of a guided edit (which must beat
        # any other feature's /cancel while the edit is going on).
        gates=[
            ChatMemberHandler(gate.on_member, ChatMemberHandler.CHAT_MEMBER),
            ChatMemberHandler(gate.on_bot_member, ChatMemberHandler.MY_CHAT_MEMBER),
            CommandHandler("cancel", editing.cancel, filters=PRIVATE),
        ],
        commands=[
            CommandHandler("rules", reading.rules_group, filters=GROUPS),
            CommandHandler("rules", reading.rules_private, filters=PRIVATE),
            CommandHandler("setrules", editing.setrules_group, filters=GROUPS),
            CommandHandler("setrules", editing.setrules_private, filters=PRIVATE),
            CommandHandler("remind", reading.remind, filters=GROUPS),
            CommandHandler("remind", reading.private_only_hint, filters=PRIVATE),
            CommandHandler("settings", settings.settings_command),
            buttons,
            ChatJoinRequestHandler(gate.on_join_request),
        ],
        observers=[CommandHandler("setup", gate.after_setup, filters=GROUPS)],
        jobs=jobs(),
        delivered={rules_gate.WELCOME: rules_gate.welcome_delivered},
        undeliverable={rules_gate.WELCOME: rules_gate.welcome_given_up},
        start_payloads={"rules_": reading.rules_link, "setrules_": editing.setrules_link},
        awaiting=awaiting,
    )
