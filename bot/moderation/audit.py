"""The moderation audit log: recording an action, mirroring a line to the admin team chat, and
the log an admin reads (/log).

The mirrored line never carries the reason; the log an admin gets privately does, the one read
in the team chat does not.
"""

from __future__ import annotations

import logging

from bot.adapters.admins import ANONYMOUS_ADMIN_ID
from bot.adapters.guards import Actor
from bot.context import App, BotData
from bot.delivery import outbox
from bot.i18n import Safe
from bot.moderation.texts import member_name, when_text
from bot.records.audit import AuditEntry
from bot.records.groups import Group
from bot.rules import settings

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


# Actions whose target an administrator may need to act on (/readmit, /unblock by id): the
# record names the person and gives their id.
ACTS_ON_ID = frozenset(
    {
        "mod.warn",
        "mod.mute",
        "mod.unmute",
        "mod.exclude",
        "mod.readmit",
        "mod.solicitor",
        "mod.unblock",
        "mod.join_declined",
        "mod.rejoin_undone",
    }
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
    """Record in the audit log; mirror a sentence (never the reason) to the admin team chat."""
    data = app.bot_data
    actor_id = audit_id(actor)
    await data.store.audit.record(
        action, chat_id=group.chat_id, actor_id=actor_id, target_id=target_id, detail=detail
    )
    if group.admin_chat_id is None:
        return
    lang = group.language
    entry = AuditEntry(
        id=0,
        chat_id=group.chat_id,
        actor_id=actor_id,
        action=action,
        target_id=target_id,
        detail=detail,
        created_at=data.clock.epoch(),
    )
    names = Names(app, group)
    line = data.texts.t(
        lang, "moderation.audit_mirror", line=await sentence(app, entry, names, lang)
    )
    # Through the outbox: inside a measure's transaction it leaves after the commit.
    await outbox.send_critical(app, group.admin_chat_id, line, kind="audit_mirror")


def audit_id(actor: Actor | None) -> int | None:
    """Who acted, as the log keeps it: a person's id, the anonymous administrator's account
    (so the record can say "an anonymous administrator"), or None for Pamoja itself."""
    return actor.audit_id if actor is not None else None


def _action_key(action: str) -> str:
    name = action.split(".", 1)[-1]
    return f"moderation.action_{name}" if name in AUDIT_ACTIONS else "moderation.action_other"


def action_label(data: BotData, lang: str, action: str) -> str:
    key = _action_key(action)
    return data.texts.t(lang, key) if key != "moderation.action_other" else action


class Names:
    """People's first names as the group shows them, looked up once per record or log."""

    def __init__(self, app: App, group: Group) -> None:
        self._app = app
        self._group = group
        self._names: dict[int, str] = {}

    async def of(self, user_id: int, lang: str) -> str:
        texts = self._app.bot_data.texts
        if user_id == ANONYMOUS_ADMIN_ID:
            return texts.raw(lang, "moderation.actor_anonymous")
        if user_id not in self._names:
            fallback = texts.raw(lang, "moderation.someone")
            self._names[user_id] = await member_name(
                self._app.bot, self._group.chat_id, user_id, fallback
            )
        return self._names[user_id]


async def sentence(app: App, entry: AuditEntry, names: Names, lang: str) -> Safe:
    """One record as a sentence with people's names ("Amina warned Juma (id 4)."); the id
    only where an administrator may need it to act."""
    texts = app.bot_data.texts
    actor = (
        await names.of(entry.actor_id, lang)
        if entry.actor_id is not None
        else texts.raw(lang, "moderation.actor_bot")
    )
    target = ""
    if entry.target_id is not None:
        target = await names.of(entry.target_id, lang)
        if entry.action in ACTS_ON_ID:
            target = texts.plain(
                lang, "moderation.person_with_id", name=target, id=entry.target_id
            )
    key = "log." + entry.action.replace(".", "_")
    if not texts.has(key):
        return _capital(
            texts.t(
                lang,
                "log.other",
                actor=actor,
                action=action_label(app.bot_data, lang, entry.action),
            )
        )
    detail = entry.detail or ""
    return _capital(
        texts.t(
            lang,
            key,
            actor=actor,
            target=target,
            version=detail.removeprefix("v"),
            number=detail.removeprefix("rule "),
            what=_setting(app.bot_data, lang, detail),
            state=texts.raw(lang, f"settings.{detail}") if detail in ("on", "off") else detail,
        )
    )


def _capital(text: Safe) -> Safe:
    """A sentence starts with a capital ("An anonymous administrator warned…")."""
    return Safe(text[0].upper() + text[1:]) if text[:1].islower() else text


def _setting(data: BotData, lang: str, detail: str) -> Safe:
    setting, found, value = detail.partition("=")
    if not found:
        return Safe("")
    return settings.describe(data, lang, settings.Change(setting, value))


# -- the log an admin reads ---------------------------------------------------------------------


async def log_text(app: App, group: Group, target_id: int | None, *, with_detail: bool) -> str:
    """The group's latest entries (about one member if ``target_id``), oldest first."""
    data = app.bot_data
    entries = await data.store.audit.recent(group.chat_id, target_id=target_id, limit=LOG_ENTRIES)
    return await _format(app, group, entries, with_detail=with_detail)


# Records whose detail is the reason an administrator gave (shown only in the private log).
REASONED = frozenset({"mod.warn", "mod.mute", "mod.exclude", "mod.solicitor"})


async def _format(app: App, group: Group, entries: list[AuditEntry], *, with_detail: bool) -> str:
    data = app.bot_data
    lang = group.language
    names = Names(app, group)
    lines = [data.texts.t(lang, "moderation.log_title", group=group.title)]
    if not entries:
        lines.append(data.texts.t(lang, "moderation.log_empty"))
    for entry in reversed(entries):
        reason = ""
        if with_detail and entry.detail and entry.action in REASONED:
            reason = data.texts.t(lang, "moderation.log_reason", reason=entry.detail)
        lines.append(
            data.texts.t(
                lang,
                "moderation.log_line",
                when=when_text(data, group, entry.created_at, lang),
                line=await sentence(app, entry, names, lang),
                reason=reason,
            )
        )
    return "\n".join(lines)
