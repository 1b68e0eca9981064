"""The rules feature's button data: ``rules:<verb>:<ids>``, each well under 64 bytes.

Buttons are made with ``bot.adapters.keyboards.button(label, FEATURE, VERB, *ids)``; one
handler (``bot/handlers/rules``) dispatches every verb through a table.
"""

from __future__ import annotations

FEATURE = "rules"
# The feature's scheduled-action and awaiting kinds are named ``f"{FEATURE}.what"`` (see
# ``reminders``, ``gate``, ``approval``, ``editing``): written that way they are never taken
# for catalogue keys.

AGREE = "agree"  # rules:agree:<chat_id>:<user_id> — the newcomer's own tap at the gate
ANYONE_WAITING = 0  # rules:agree:<chat_id>:0 — a combined welcome: each waiting newcomer's tap
REACCEPT = "reaccept"  # rules:reaccept:<chat_id>:<version> — anyone, after the rules changed
STOP_EDIT = "stop_edit"  # rules:stop_edit:<chat_id> — Cancel under the guided edit's prompt
SHOW = "show"  # rules:show:<chat_id> — a group picked in the private chat
JOIN = "join"  # rules:join:<request_id> — the applicant agrees (approval mode)
APPROVE = "approve"  # rules:approve:<request_id> — an admin lets the applicant in
DECLINE = "decline"  # rules:decline:<request_id> — an admin declines the request
INVITE = "invite"  # rules:invite:<chat_id> — an admin picked the group for a personal link
