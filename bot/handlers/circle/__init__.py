"""My circle, the Telegram side: support persons, invites, consent, escalation, data rights.

Each module reads the update, checks who may act, calls a service of ``bot.circle`` and answers
with a catalogue text and keyboard. All of the circle's buttons go through ONE handler
(``circle:<verb>:<args>``); the member's words reach the guided conversation only while it
awaits them (``circle.answer``); an invite link is the ``/start c-<token>`` payload.
"""

from __future__ import annotations

from telegram.ext import ChatMemberHandler, CommandHandler, filters

from bot.adapters.callbacks import ButtonHandler, callback_handler
from bot.adapters.menus import MenuEntry
from bot.circle import callbacks as verbs
from bot.circle import concern, disclosure, support_now
from bot.circle.callbacks import FEATURE
from bot.circle.guide import ANSWER
from bot.circle.invites import INVITE_PREFIX
from bot.circle.jobs import JOBS
from bot.handlers.circle import answers, consent, data, duty, escalation, invites, leaving, persons
from bot.handlers.circle.shared import own_chat
from bot.handlers.feature import Feature

PRIVATE = filters.ChatType.PRIVATE
GROUPS = filters.ChatType.GROUPS

MENU: tuple[MenuEntry, ...] = (
    MenuEntry("mycircle", private=True),
    MenuEntry("supportnow", private=True),
    MenuEntry("consent", private=True),
    MenuEntry("concern", private=True, admin=True),
    MenuEntry("duty"),
    MenuEntry("mydata"),
    MenuEntry("forgetme"),
    MenuEntry("stepdown"),
)

# The member's own buttons: pressed in their own private chat only.
MEMBER_BUTTONS: dict[str, ButtonHandler] = {
    verbs.HOME: persons.on_home,
    verbs.CANCEL: persons.on_cancel,
    verbs.RESUME: answers.on_resume,
    verbs.SKIP: answers.on_skip,
    verbs.ADD: persons.on_add,
    verbs.ADD_ASKED: persons.on_add_asked,
    verbs.PERSON: persons.on_person,
    verbs.EDIT: persons.on_edit,
    verbs.TOGGLE_ASKED: persons.on_toggle_asked,
    verbs.INVITE: invites.on_invite,
    verbs.REMOVE: persons.on_remove,
    verbs.REMOVE_YES: persons.on_remove_yes,
    verbs.NEVER: persons.on_never,
    verbs.NEVER_ADD: persons.on_never_add,
    verbs.NEVER_REMOVE: persons.on_never_remove,
    verbs.HELP: persons.on_help,
    verbs.HELP_WRITE: persons.on_help_write,
    verbs.HELP_DELETE: persons.on_help_delete,
    verbs.HELP_SAVE: persons.on_help_save,
    verbs.CONSENT: consent.on_consent,
    verbs.SUPPORT_NOW: escalation.on_support_now,
    verbs.CONSENT_WITHDRAW: consent.on_withdraw,
    verbs.CONSENT_WITHDRAW_ALL: consent.on_withdraw_all,
    verbs.ADVANCE: consent.on_advance,
    verbs.ADVANCE_PICK: consent.on_advance_pick,
    verbs.ADVANCE_NEXT: consent.on_advance_next,
    verbs.ADVANCE_WAIT: consent.on_advance_wait,
    verbs.ADVANCE_UNTIL: consent.on_advance_until,
    verbs.FORGET: data.on_forget,
    verbs.FORGET_KEEP: data.on_forget_keep,
    verbs.LEAVE_KEEP: leaving.on_keep,
    verbs.LEAVE_ERASE: leaving.on_erase,
}

# Buttons whose service checks who is pressing against the database (the invited person,
# the support person, the member an escalation is about).
CHECKED_BUTTONS: dict[str, ButtonHandler] = {
    verbs.ACCEPT: invites.on_accept,
    verbs.DECLINE: invites.on_decline,
    verbs.STEPDOWN: invites.on_stepdown,
    verbs.APPROVE: escalation.on_approve,
    verbs.REFUSE: escalation.on_refuse,
    verbs.TALK_FIRST: escalation.on_talk_first,
    verbs.PICK: escalation.on_pick,
    verbs.PICK_DONE: escalation.on_pick_done,
    verbs.PICK_CANCEL: escalation.on_pick_cancel,
    verbs.PURPOSE: escalation.on_purpose,
    verbs.GROUP: escalation.on_group,
    verbs.ADMINS: escalation.on_admins,
    verbs.ADMIN_PICK: escalation.on_admin_pick,
    verbs.FOLLOW_UP: escalation.on_follow_up,
    verbs.TG_CONFIRM: invites.on_tg_confirm,
}


def buttons() -> dict[str, ButtonHandler]:
    return {
        **{verb: own_chat(handler) for verb, handler in MEMBER_BUTTONS.items()},
        **CHECKED_BUTTONS,
    }


def feature() -> Feature:
    return Feature(
        name=FEATURE,
        menu=MENU,
        commands=[
            CommandHandler("mycircle", persons.mycircle, filters=PRIVATE),
            CommandHandler(
                ["mycircle", "supportnow", "consent", "mydata", "forgetme", "stepdown"],
                persons.in_group,
                filters=GROUPS,
            ),
            CommandHandler("stepdown", invites.stepdown, filters=PRIVATE),
            CommandHandler("cancel", persons.cancel, filters=PRIVATE),
            CommandHandler("supportnow", escalation.support_now_command, filters=PRIVATE),
            CommandHandler("concern", escalation.concern_in_group, filters=GROUPS),
            CommandHandler("concern", escalation.concern_private, filters=PRIVATE),
            CommandHandler("consent", consent.consent_command, filters=PRIVATE),
            CommandHandler("duty", duty.duty_command),
            CommandHandler("mydata", data.mydata, filters=PRIVATE),
            CommandHandler("forgetme", data.forgetme, filters=PRIVATE),
            callback_handler(FEATURE, buttons()),
        ],
        # After everything else: a member who left gets one kind note about their data.
        observers=[ChatMemberHandler(leaving.on_left, ChatMemberHandler.CHAT_MEMBER)],
        jobs=JOBS,
        # What a help text or an admin's card carries is seen once Telegram accepts it.
        delivered={
            "help_text": disclosure.carried_delivered,
            "admin_card": disclosure.carried_delivered,
        },
        start_payloads={INVITE_PREFIX: invites.open_invite},
        # An "I need support now" (or what was decided in advance) sent but not yet, or not
        # wholly, carried out when the bot stopped.
        catch_up=(support_now.resume, concern.resume),
        awaiting={ANSWER: answers.answer_received},
        own_cancel={ANSWER: persons.cancel},
    )
