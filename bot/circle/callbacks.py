"""My circle's button data: ``circle:<verb>:<args>``, one verb per thing a person can do.

Plain strings only (no Telegram objects): handlers put them on buttons, and the consent question
the outbox sends carries them as plain data too. Every verb is a word; every argument an id or a
small number, so the data stays well under Telegram's 64 bytes.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.adapters.callbacks import encode

FEATURE = "circle"

# /mycircle: the overview, a person, the guided questions
HOME = "home"
CANCEL = "cancel"
RESUME = "resume"
SKIP = "skip"
ADD = "add"
ADD_ASKED = "add_asked"  # the last question of adding: already asked them? 1 yes / 0 not yet
PERSON = "person"
EDIT = "edit"
TOGGLE_ASKED = "toggle_asked"
INVITE = "invite"
REMOVE = "remove"
REMOVE_YES = "remove_yes"
NEVER = "never"
NEVER_ADD = "never_add"
NEVER_REMOVE = "never_remove"
HELP = "help"
HELP_WRITE = "help_write"
HELP_DELETE = "help_delete"
HELP_SAVE = "help_save"
CONSENT = "consent"
SUPPORT_NOW = "support_now"
# the support person's own answer, and stepping down
ACCEPT = "accept"
DECLINE = "decline"
STEPDOWN = "stepdown"
# /consent and deciding in advance
CONSENT_WITHDRAW = "consent_withdraw"
CONSENT_WITHDRAW_ALL = "consent_withdraw_all"
ADVANCE = "advance"
ADVANCE_PICK = "advance_pick"
ADVANCE_NEXT = "advance_next"
ADVANCE_WAIT = "advance_wait"
ADVANCE_UNTIL = "advance_until"
# /forgetme
FORGET = "forget"  # 1: tell my support persons, 0: quietly
FORGET_KEEP = "forget_keep"
# the note after leaving a group: keep my circle, or erase my data (then /forgetme's question)
LEAVE_KEEP = "leave_keep"
LEAVE_ERASE = "leave_erase"
# escalation: the member's answer to a concern, and picking who to reach
APPROVE = "approve"
REFUSE = "refuse"
TALK_FIRST = "talk_first"
PICK = "pick"
PICK_DONE = "pick_done"
PICK_CANCEL = "pick_cancel"
PURPOSE = "purpose"  # <escalation>:<person>:<0 help | 1 see | 2 contact>
GROUP = "group"  # <escalation>:<chat>: which group's administrators
ADMINS = "admins"  # <escalation>: the list of administrators to name one
FOLLOW_UP = "follow_up"  # <escalation>: ask an administrator to phone whom the text missed
ADMIN_PICK = "admin_pick"  # <escalation>:<admin, 0 = whoever is on duty or next in turn>
# the member confirms which Telegram account accepted their invite
TG_CONFIRM = "tg_confirm"  # <person>:<1 yes, that is them | 0 no>


def data(verb: str, *args: object) -> str:
    """The button data of one of the circle's verbs."""
    return encode(FEATURE, verb, *args)


Row = Sequence[tuple[str, str]]
"""A row of buttons as plain data: (label, button data)."""
