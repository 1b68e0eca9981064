"""The moderation audit log: recording an action, mirroring a line to the admin team chat, and
the log an admin reads (/log).

The mirrored line never carries the reason; the log an admin gets privately does, the one read
in the team chat does not.
"""

from __future__ import annotations

import logging

from bot.adapters.guards import Actor
from bot.context import App, BotData
from bot.delivery import outbox
from bot.moderation.texts import member_name, when_text
from bot.records.audit import AuditEntry
from bot.records.groups import Group

log = logging.getLogger(__name__)

LOG_ENTRIES = 25

AUDIT_ACTIONS = (
    "warn",
    "mute",
    "unmute",
    "exclude",
    "readmit",
    "solicitor",
    "unblock",
    "join_declined",
    "rejoin_undone",
    "report",
    "flag",
    "report_outcome",
    "appeal",
    "appeal_answer",
    "appeal_lifted",
    "appeal_kept",
    "admin_chat_linked",
    "admin_chat_unlinked",
    "flagging_set",
)


async def record(
    app: App,
    action: str,
    *,
    group: Group,
    actor: Actor | None,
    target_id: int | None,
    detail: str | None = None,
) -> None:
    """Record in the audit log; mirror a line (never the reason) to the admin team chat."""
    data = app.bot_data
    actor_id = actor.user_id if actor else None
    await data.store.audit.record(
        action, chat_id=group.chat_id, actor_id=actor_id, target_id=target_id, detail=detail
    )
    if group.admin_chat_id is None:
        return
    lang = group.language
    line = data.texts.t(
        lang,
        "moderation.audit_mirror",
        action=data.texts.t(lang, _action_key(action)),
        actor=_actor_text(data, lang, actor),
        target=str(target_id) if target_id else "-",
    )
    # Through the outbox: inside a measure's transaction it leaves after the commit.
    await outbox.send_critical(app, group.admin_chat_id, line, kind="audit_mirror")


def _action_key(action: str) -> str:
    name = action.split(".", 1)[-1]
    return f"moderation.action_{name}" if name in AUDIT_ACTIONS else "moderation.action_other"


def action_label(data: BotData, lang: str, action: str) -> str:
    key = _action_key(action)
    return data.texts.t(lang, key) if key != "moderation.action_other" else action


def _actor_text(data: BotData, lang: str, actor: Actor | None) -> str:
    if actor is None:
        return data.texts.t(lang, "moderation.actor_bot")
    if actor.user_id is None:
        return data.texts.t(lang, "moderation.actor_anonymous")
    return str(actor.user_id)


# -- the log an admin reads ---------------------------------------------------------------------


async def log_text(app: App, group: Group, target_id: int | None, *, with_detail: bool) -> str:
    """The group's latest entries (about one member if ``target_id``), oldest first."""
    data = app.bot_data
    entries = await data.store.audit.recent(group.chat_id, target_id=target_id, limit=LOG_ENTRIES)
    return await _format(app, group, entries, with_detail=with_detail)


async def _format(app: App, group: Group, entries: list[AuditEntry], *, with_detail: bool) -> str:
    data = app.bot_data
    lang = group.language
    names: dict[int, str] = {}

    async def name(user_id: int | None, empty_key: str) -> str:
        if user_id is None:
            return data.texts.t(lang, empty_key)
        if user_id not in names:
            names[user_id] = await member_name(app.bot, group.chat_id, user_id, str(user_id))
        return f"{names[user_id]} ({user_id})"

    lines = [data.texts.t(lang, "moderation.log_title", group=group.title)]
    if not entries:
        lines.append(data.texts.t(lang, "moderation.log_empty"))
    for entry in reversed(entries):
        detail = f" — {entry.detail}" if with_detail and entry.detail else ""
        lines.append(
            data.texts.t(
                lang,
                "moderation.log_line",
                when=when_text(data, group, entry.created_at, lang),
                action=action_label(data, lang, entry.action),
                actor=await name(entry.actor_id, "moderation.actor_system"),
                target=await name(entry.target_id, "moderation.nobody")
                if entry.target_id
                else "-",
                detail=detail,
            )
        )
    return "\n".join(lines)
