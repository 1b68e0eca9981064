"""Reports by members (/report) and the admins' one-tap answers to a report or a flag.

The reporter is never shown to anyone: only a keyed digest of their id is kept (to count one
member's reports of a message once and to limit floods). No message text is stored; admins get
a link to the message. The first admin to answer claims it; every other copy then shows who
handled it and how.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from telegram import InlineKeyboardMarkup

from bot.adapters.admins import Compose
from bot.adapters.guards import Actor
from bot.adapters.replies import delete_quietly, edit_quietly
from bot.context import App
from bot.delivery import outbox
from bot.errors import RefusedError, StaleButtonError, UserFacingError
from bot.i18n import Safe
from bot.moderation import audit, callbacks, measures, policy, teaching
from bot.moderation.notices import tell_admins
from bot.moderation.texts import member_name, mention
from bot.people import language_of
from bot.records.groups import Group
from bot.records.moderation import Report


@dataclass(frozen=True)
class Reported:
    """The message a member reported: where, whose, and what the reporter added."""

    message_id: int
    target_id: int | None  # None: a channel's or the group's own post
    name: str
    note: str | None


# -- what the admins read -----------------------------------------------------------------------


def notice(app: App, group: Group, report: Report, name: str, note: str | None) -> Compose:
    """The admins' copy of an open report or flag, with its one-tap answers."""
    data = app.bot_data
    link = policy.message_link(group.chat_id, report.message_id)
    key = "moderation.flag_admins" if report.kind == "flag" else "moderation.report_admins"

    def compose(lang: str) -> tuple[str, InlineKeyboardMarkup | None]:
        where = (
            data.texts.t(lang, "moderation.report_link", link=link)
            if link
            else data.texts.t(lang, "moderation.report_no_link")
        )
        member = mention(report.target_id, name) if report.target_id else name
        text: str = (
            data.texts.n(
                lang, key, report.reports, group=group.title, member=member, where=Safe(where)
            )
            if report.kind != "flag"
            else data.texts.t(lang, key, group=group.title, member=member, where=Safe(where))
        )
        if note:
            text += "\n" + data.texts.t(lang, "moderation.report_note", note=note)
        return text, callbacks.report_keyboard(data, lang, report)

    return compose


async def refresh_copies(
    app: App, group: Group, report: Report, admin_name: str | None = None
) -> None:
    """Every admin's copy now says who handled it and how (and loses its buttons)."""
    data = app.bot_data
    lang = group.language
    if admin_name is None:
        admin_name = data.texts.t(lang, "moderation.an_admin")
        if report.handled_by is not None:
            admin_name = await member_name(app.bot, group.chat_id, report.handled_by, admin_name)
    text = data.texts.t(
        lang,
        "moderation.report_handled",
        kind=data.texts.t(lang, f"moderation.kind_{report.kind}"),
        group=group.title,
        admin=admin_name,
        outcome=data.texts.t(lang, f"moderation.outcome_{report.outcome or 'ok'}"),
    )
    for copy in await data.store.moderation.copies("report", report.id):
        await edit_quietly(app, copy.chat_id, copy.message_id, text, reply_markup=None)


# -- /report ------------------------------------------------------------------------------------


async def file(app: App, group: Group, reporter_id: int, reported: Reported) -> None:
    """A member reported a message: tell the admins once (kept for them if nobody on the team
    can be reached yet), count repeats, and tell the reporter privately which it was."""
    data = app.bot_data
    repo = data.store.moderation
    lang = await language_of(data, reporter_id)
    reporter = repo.reporter_digest(reporter_id)
    now = data.clock.epoch()
    recent = await repo.reports_by_since(reporter, now - policy.REPORT_WINDOW)
    if not policy.report_allowed(recent):
        await outbox.send_critical(
            app, reporter_id, data.texts.t(lang, "moderation.report_too_many"), kind="notice"
        )
        return
    found, created = await repo.open_report(
        group.chat_id, reported.message_id, reported.target_id, "report"
    )

    async def say(key: str) -> None:
        await outbox.send_critical(app, reporter_id, data.texts.t(lang, key), kind="notice")

    counted = await repo.add_reporter(found.id, reporter)
    if not counted:
        await say("moderation.report_already")
        return
    current = await repo.report(found.id)
    if current is None:
        return
    if created:
        await audit.record(
            app, "mod.report", group=group, actor=None, target_id=reported.target_id
        )
    if current.status != "open":
        await say("moderation.report_thanks")
        return
    compose = notice(app, group, current, reported.name, reported.note if created else None)
    if created:
        delivered = await tell_admins(app, group, compose, item="report", item_id=current.id)
        await say("moderation.report_thanks" if delivered else "moderation.report_waiting")
        return
    # A further member's report of the same message: the copies show the new count.
    copies = await repo.copies("report", current.id)
    for copy in copies:
        text, markup = compose(group.language)
        await edit_quietly(app, copy.chat_id, copy.message_id, text, reply_markup=markup)
    await say("moderation.report_thanks" if copies else "moderation.report_waiting")


# -- the admins' one-tap answers ----------------------------------------------------------------


async def pressed(app: App, report_id: int, action: str) -> tuple[Report, Group]:
    """The report a button is about and its group; stale if either is gone or the answer is
    not one this kind of report offers."""
    data = app.bot_data
    found = await data.store.moderation.report(report_id)
    group = await data.store.groups.get(found.chat_id) if found else None
    if found is None or group is None or action not in callbacks.REPORT_ACTIONS[found.kind]:
        raise StaleButtonError
    return found, group


Act = Callable[[App, Group, Actor, Report, str], Awaitable[object]]


async def _remove(app: App, group: Group, _actor: Actor, found: Report, _reason: str) -> None:
    await delete_quietly(app, group.chat_id, found.message_id)


async def _warn(app: App, group: Group, actor: Actor, found: Report, reason: str) -> object:
    return await measures.warn(app, group, actor, _target(found), reason)


async def _mute(app: App, group: Group, actor: Actor, found: Report, reason: str) -> object:
    return await measures.mute(
        app, group, actor, _target(found), policy.REPORT_MUTE_SECONDS, reason
    )


async def _solicitor(app: App, group: Group, actor: Actor, found: Report, reason: str) -> object:
    return await measures.solicitor(app, group, actor, _target(found), reason)


async def _fine(_app: App, _group: Group, _actor: Actor, _found: Report, _reason: str) -> None:
    return None


def _target(found: Report) -> int:
    if found.target_id is None:
        raise RefusedError("moderation.refuse_service")
    return found.target_id


# The answer on the button -> (the outcome stored and shown, the measure taken).
ACTIONS: dict[str, tuple[str, Act]] = {
    "warn": ("warn", _warn),
    "mute": ("mute", _mute),
    "remove": ("removed", _remove),
    "solicitor": ("solicitor", _solicitor),
    "fine": ("ok", _fine),
}


async def answer(
    app: App, group: Group, found: Report, action: str, actor: Actor, admin_name: str
) -> None:
    """An admin's one-tap answer: the first claims the report, takes the measure, and every
    copy shows it handled. A later press, or a measure refused, changes nothing."""
    repo = app.bot_data.store.moderation
    if found.status != "open":
        await refresh_copies(app, group, found)
        raise RefusedError("moderation.report_already_handled")
    outcome, act = ACTIONS[action]
    if not await repo.handle_report(found.id, outcome, actor.user_id):
        current = await repo.report(found.id)
        if current is not None:
            await refresh_copies(app, group, current)
        raise RefusedError("moderation.report_already_handled")
    reason = app.bot_data.texts.t(group.language, f"moderation.reason_from_{found.kind}")
    try:
        await act(app, group, actor, found, reason)
    except UserFacingError:
        await repo.reopen_report(found.id)  # the measure was refused: the report stays open
        raise
    await audit.record(
        app,
        "mod.report_outcome",
        group=group,
        actor=actor,
        target_id=found.target_id,
        detail=f"{found.kind}:{outcome}",
    )
    await teaching.learn_from_answer(app, found, action)
    current = await repo.report(found.id)
    if current is not None:
        await refresh_copies(app, group, current, admin_name)
