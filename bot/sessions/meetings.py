"""Scheduled sessions: creating one, announcing it, opening each meeting on time in the group
(or its forum topic), and a facilitator stepping through the template's parts.

The database holds the schedule: each session's next meeting is a ``sessions.open`` action,
and each reminder lead a ``sessions.remind`` action, re-armed at start-up like all timed work.
"""

from __future__ import annotations

import html
import logging
from datetime import datetime
from typing import TYPE_CHECKING

from telegram import InlineKeyboardMarkup, Message
from telegram.error import BadRequest

from bot.adapters.keyboards import start_link
from bot.i18n import Safe
from bot.people import group_language, zone_of
from bot.records.sessions import ONCE, Session, SessionRun
from bot.rules.versions import current_rules, render
from bot.sessions import FEATURE, callbacks, rhythm, template

if TYPE_CHECKING:
    from bot.context import App, BotData
    from bot.records.scheduled import ScheduledAction

log = logging.getLogger(__name__)

OPEN = f"{FEATURE}.open"
REMIND = f"{FEATURE}.remind"
LEADS = {"day": 86_400, "hour": 3_600}


# -- words --------------------------------------------------------------------------------


async def when(data: BotData, lang: str, chat_id: int, at: int) -> str:
    local = datetime.fromtimestamp(at, await zone_of(data, chat_id))
    return data.texts.t(
        lang,
        "sessions.when",
        day=data.texts.t(lang, f"rules.day_{local.weekday()}"),
        date=local.strftime("%d.%m.%Y"),
        time=local.strftime("%H:%M"),
    )


def rhythm_words(data: BotData, lang: str, session: Session) -> str:
    kind = session.rhythm
    return data.texts.t(
        lang,
        f"sessions.rhythm_{kind.kind}",
        day=data.texts.t(lang, f"rules.day_{kind.weekday}"),
        nth=data.texts.t(lang, f"sessions.nth_{kind.nth if kind.nth > 0 else 'last'}"),
        time=kind.at.strftime("%H:%M"),
    )


def where(data: BotData, lang: str, session: Session) -> str:
    if session.place:
        return data.texts.t(lang, "sessions.where_place", place=session.place)
    if session.thread_id is not None:
        return data.texts.t(lang, "sessions.where_topic")
    return data.texts.t(lang, "sessions.where_group")


async def summary(data: BotData, lang: str, session: Session) -> str:
    next_time = (
        await when(data, lang, session.chat_id, session.next_at)
        if session.next_at
        else data.texts.t(lang, "sessions.no_next")
    )
    return data.texts.t(
        lang,
        "sessions.summary",
        id=session.id,
        title=session.title,
        rhythm=rhythm_words(data, lang, session),
        next=next_time,
        where=where(data, lang, session),
    )


# -- the schedule -------------------------------------------------------------------------


async def create(
    app: App, chat_id: int, words: list[str], thread_id: int | None
) -> Session | None:
    """A new session from an admin's words (see ``rhythm.parse``); None when they are unclear."""
    data = app.bot_data
    now = data.clock.epoch()
    tz = await zone_of(data, chat_id)
    parsed = rhythm.parse(words, datetime.fromtimestamp(now, tz).date())
    if parsed is None:
        return None
    kind, title = parsed
    next_at = rhythm.next_at(kind, now, tz)
    if next_at is None:
        return None
    session = await data.store.sessions.add(chat_id, title, kind, thread_id, next_at)
    await arm(app, session)
    await data.store.audit.record(
        "session_scheduled", chat_id=chat_id, actor_id=None, detail=f"session {session.id}"
    )
    return session


async def arm(app: App, session: Session) -> None:
    """Schedule the session's next meeting and the reminders before it (leads in the past are
    left out: a session set for in 30 minutes gets no day-before reminder)."""
    data = app.bot_data
    if session.next_at is None:
        return
    scheduler = data.scheduler
    await scheduler.schedule(
        app,
        OPEN,
        session.next_at,
        chat_id=session.chat_id,
        payload={"session": session.id, "at": session.next_at},
        dedupe_key=f"{OPEN}:{session.id}:{session.next_at}",  # a row per meeting
    )
    now = data.clock.epoch()
    for lead, seconds in LEADS.items():
        due = session.next_at - seconds
        if due > now:
            await scheduler.schedule(
                app,
                REMIND,
                due,
                chat_id=session.chat_id,
                payload={"session": session.id, "at": session.next_at, "lead": lead},
                dedupe_key=f"{REMIND}:{session.id}:{lead}:{session.next_at}",
            )


async def cancel(app: App, session: Session) -> None:
    data = app.bot_data
    await data.store.sessions.end(session.id)  # its pending jobs find it ended and do nothing
    await data.store.audit.record(
        "session_cancelled", chat_id=session.chat_id, actor_id=None, detail=f"session {session.id}"
    )


async def post(
    app: App,
    session: Session,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
) -> Message:
    """Post into the session's place in the group: its forum topic, else the group itself (a
    topic that was deleted falls back to the group)."""
    try:
        return await app.bot.send_message(
            session.chat_id, text, message_thread_id=session.thread_id, reply_markup=markup
        )
    except BadRequest as error:
        if session.thread_id is None or "thread not found" not in error.message.lower():
            raise
        log.info("session %s: its topic is gone; posting in the group", session.id)
        return await app.bot.send_message(session.chat_id, text, reply_markup=markup)


async def announce(app: App, session: Session) -> Message:
    """Tell the group when it meets, with a one-tap way to choose reminders (optional)."""
    data = app.bot_data
    lang = await group_language(data, session.chat_id)
    text = data.texts.t(
        lang,
        "sessions.announced",
        title=session.title,
        rhythm=rhythm_words(data, lang, session),
        next=await when(data, lang, session.chat_id, session.next_at or 0),
        where=where(data, lang, session),
    )
    url = start_link(app.bot.username, f"remind_{session.id}")
    return await post(app, session, text, callbacks.link(data, lang, "sessions.remind_me", url))


# -- a meeting ----------------------------------------------------------------------------


async def part_text(data: BotData, lang: str, session: Session, step: int) -> str:
    """A part's words: the group's own, else the catalogue's; the opening carries the purpose,
    the ground rules and confidentiality."""
    name = template.part(step)
    own = (await data.store.sessions.texts(session.chat_id)).get(name)
    heading = data.texts.t(
        lang,
        "sessions.part_heading",
        title=session.title,
        part=data.texts.t(lang, f"sessions.name_{name}"),
    )
    body = (
        Safe(html.escape(own, quote=False)) if own else data.texts.t(lang, f"sessions.part_{name}")
    )
    if name == template.OPENING:
        rules = render(data.texts, lang, await current_rules(data, session.chat_id, lang), None)
        body = data.texts.t(lang, "sessions.opening_frame", body=body, rules=rules)
        if session.place:
            body = data.texts.t(lang, "sessions.opening_place", body=body, place=session.place)
    return data.texts.t(lang, "sessions.part", heading=heading, body=body)


async def open_meeting(app: App, session: Session, occurrence_at: int) -> SessionRun | None:
    """Open one meeting: its first part, with the facilitator's controls. None if it is open."""
    data = app.bot_data
    run = await data.store.sessions.open_run(session, occurrence_at)
    if run is None:
        return None
    await post_part(app, session, run, 0)
    await data.store.audit.record(
        "session_opened", chat_id=session.chat_id, actor_id=None, detail=f"session {session.id}"
    )
    return run


async def post_part(app: App, session: Session, run: SessionRun, step: int) -> None:
    data = app.bot_data
    lang = await group_language(data, session.chat_id)
    text = await part_text(data, lang, session, step)
    markup = callbacks.controls(data, lang, run.id, step, run.skipped)
    sent = await post(app, session, text, markup)
    await data.store.sessions.set_run_message(run.id, sent.message_id)


async def controls_for(data: BotData, run: SessionRun) -> InlineKeyboardMarkup:
    lang = await group_language(data, run.chat_id)
    return callbacks.controls(data, lang, run.id, run.step, run.skipped)


async def open_job(app: App, action: ScheduledAction) -> None:
    """``sessions.open``: the meeting's time has come. Open it, then schedule the next one."""
    data = app.bot_data
    session = await data.store.sessions.get(int(action.payload.get("session", 0)))
    occurrence = int(action.payload.get("at", 0))
    if session is None or not session.active or session.next_at != occurrence:
        return
    await open_meeting(app, session, occurrence)
    tz = await zone_of(data, session.chat_id)
    following = (
        None if session.rhythm.kind == ONCE else rhythm.next_at(session.rhythm, occurrence, tz)
    )
    await data.store.sessions.set_next(session.id, following)
    moved = await data.store.sessions.get(session.id)
    if moved is not None and following is not None:
        await arm(app, moved)


async def step(
    app: App, run_id: int, from_step: int, skips: int, *, skip_next: bool
) -> SessionRun | None:
    """The facilitator moves on to the next part, or leaves out the optional part that comes
    next (the current one goes on). None if the press is stale: someone moved first, or the
    meeting has closed."""
    data = app.bot_data
    run = await data.store.sessions.run(run_id)
    if run is None or not run.open or run.step != from_step or len(run.skipped) != skips:
        return None
    session = await data.store.sessions.get(run.session_id)
    if session is None:
        return None
    if skip_next:
        if not template.can_skip_next(run.step, run.skipped):
            return None
        skipped, following = template.skip_next(run.step, run.skipped), run.step
    else:
        skipped, following = run.skipped, template.next_step(run.step, run.skipped)
    closed = following == template.CLOSED
    moved = await data.store.sessions.move_run(run, step=following, skipped=skipped, done=closed)
    if not moved:
        return None
    after = await data.store.sessions.run(run.id)
    if after is None:  # pragma: no cover - just updated
        return None
    if closed:
        await data.store.audit.record(
            "session_closed",
            chat_id=session.chat_id,
            actor_id=None,
            detail=f"session {session.id}",
        )
    elif not skip_next:
        await post_part(app, session, after, following)
    return after
