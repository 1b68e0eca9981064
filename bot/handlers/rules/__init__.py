"""Ground rules on the Telegram side: ``/rules``, ``/setrules``, ``/remind``, ``/settings``,
the join gate and approval mode. Each module reads the update, checks who may act, calls the
service in ``bot/rules`` and answers; this one hands the feature to the router.
"""

from __future__ import annotations

from telegram.ext import ChatJoinRequestHandler, ChatMemberHandler, CommandHandler, filters

from bot.adapters.callbacks import callback_handler
from bot.adapters.menus import MenuEntry
from bot.handlers.feature import Feature
from bot.handlers.rules import editing, gate, invites, reading, settings
from bot.rules import callbacks
from bot.rules import gate as rules_gate
from bot.rules import settings as menu
from bot.rules.editing import WRITING
from bot.rules.jobs import jobs

PRIVATE = filters.ChatType.PRIVATE
GROUPS = filters.ChatType.GROUPS

MENU: tuple[MenuEntry, ...] = (
    MenuEntry("rules", private=True, group=True),
    MenuEntry("setrules", admin=True),
    MenuEntry("remind", admin=True),
    MenuEntry("settings", admin=True),
    MenuEntry("invite"),
)


def feature() -> Feature:
    awaiting = {
        WRITING: editing.receive_rules,
        menu.TYPED_ZONE: settings.receive_typed,
        menu.TYPED_LINE: settings.receive_typed,
    }
    settings_buttons = callback_handler(
        menu.FEATURE,
        {
            menu.PAGE: settings.page,
            menu.OPEN: settings.open_group,
            menu.FLIP: settings.flip,
            menu.PICK: settings.pick,
            menu.ASK: settings.ask,
            menu.DROP: settings.drop,
            menu.CANCEL: settings.cancel_button,
            menu.CLOSE: settings.close,
        },
    )
    buttons = callback_handler(
        callbacks.FEATURE,
        {
            callbacks.AGREE: gate.agree,
            callbacks.REACCEPT: editing.reaccept,
            callbacks.STOP_EDIT: editing.stop_edit,
            callbacks.SHOW: reading.show_picked,
            callbacks.JOIN: gate.applicant_agrees,
            callbacks.APPROVE: gate.approve,
            callbacks.DECLINE: gate.decline,
            callbacks.INVITE: invites.on_pick,
        },
    )
    return Feature(
        name="rules",
        menu=MENU,
        # Before the commands: joins and leaves.
        gates=[
            ChatMemberHandler(gate.on_member, ChatMemberHandler.CHAT_MEMBER),
            ChatMemberHandler(gate.on_bot_member, ChatMemberHandler.MY_CHAT_MEMBER),
        ],
        commands=[
            CommandHandler("rules", reading.rules_group, filters=GROUPS),
            CommandHandler("rules", reading.rules_private, filters=PRIVATE),
            CommandHandler("setrules", editing.setrules_group, filters=GROUPS),
            CommandHandler("setrules", editing.setrules_private, filters=PRIVATE),
            CommandHandler("remind", reading.remind, filters=GROUPS),
            CommandHandler("remind", reading.private_only_hint, filters=PRIVATE),
            CommandHandler("settings", settings.settings_command),
            CommandHandler("invite", invites.invite_group, filters=GROUPS),
            CommandHandler("invite", invites.invite_private, filters=PRIVATE),
            buttons,
            settings_buttons,
            ChatJoinRequestHandler(gate.on_join_request),
        ],
        observers=[CommandHandler("setup", gate.after_setup, filters=GROUPS)],
        jobs=jobs(),
        delivered={rules_gate.WELCOME: rules_gate.welcome_delivered},
        undeliverable={rules_gate.WELCOME: rules_gate.welcome_given_up},
        start_payloads={
            "rules_": reading.rules_link,
            "setrules_": editing.setrules_link,
            "settings_": settings.settings_link,
        },
        awaiting=awaiting,
        own_cancel={
            menu.TYPED_ZONE: settings.cancel_typed,
            menu.TYPED_LINE: settings.cancel_typed,
        },
        plain_words={"rules": reading.rules_private, "sheria": reading.rules_private},
    )
