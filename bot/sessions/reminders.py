"""Members' own reminders of sessions: opt-in, per session, a day and/or an hour before,
privately. Nobody is reminded who did not ask, and nobody ever sees who asked."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.delivery.outbox import send_critical
from bot.people import language_of
from bot.records.sessions import ReminderChoice, Session
from bot.sessions import FEATURE, callbacks
from bot.sessions.meetings import when, where
from bot.talk.members import groups_of

if TYPE_CHECKING:
    from bot.context import App
    from bot.records.scheduled import ScheduledAction

CHOICE = {
    callbacks.DAY: ReminderChoice(day_before=True, hour_before=False),
    callbacks.HOUR: ReminderChoice(day_before=False, hour_before=True),
    callbacks.BOTH: ReminderChoice(day_before=True, hour_before=True),
    callbacks.NONE: ReminderChoice(day_before=False, hour_before=False),
}
KIND = f"{FEATURE}.reminder"


async def sessions_for(app: App, user_id: int) -> list[Session]:
    """The active sessions of the person's groups."""
    found: list[Session] = []
    for chat_id in await groups_of(app, user_id):
        found.extend(await app.bot_data.store.sessions.of_group(chat_id))
    return found


async def visible_session(app: App, user_id: int, session_id: int) -> Session | None:
    """A session the person may see: active, of a group they are in."""
    session = await app.bot_data.store.sessions.get(session_id)
    if session is None or not session.active:
        return None
    if session.chat_id not in await groups_of(app, user_id):
        return None
    return session


async def choose(app: App, user_id: int, session: Session, choice: str) -> ReminderChoice:
    picked = CHOICE[choice]
    await app.bot_data.store.sessions.choose_reminders(session.id, user_id, picked)
    return picked


def choice_name(picked: ReminderChoice) -> str:
    for name, value in CHOICE.items():
        if value == picked:
            return name
    return callbacks.NONE  # pragma: no cover - every combination is named


async def remind_job(app: App, action: ScheduledAction) -> None:
    """``sessions.remind``: write to each member who asked for this lead, and is still in the
    group, through the outbox (one row per person: a retry never repeats a reminder)."""
    data = app.bot_data
    session = await data.store.sessions.get(int(action.payload.get("session", 0)))
    at = int(action.payload.get("at", 0))
    lead = str(action.payload.get("lead", ""))
    if (
        session is None
        or not session.active
        or session.next_at != at
        or lead not in ("day", "hour")
    ):
        return
    for user_id in await data.store.sessions.reminded(session.id, day_before=lead == "day"):
        if session.chat_id not in await data.store.users.groups_of(user_id):
            continue
        lang = await language_of(data, user_id)
        text = data.texts.t(
            lang,
            f"sessions.reminder_{lead}",
            title=session.title,
            next=await when(data, lang, session.chat_id, at),
            where=where(data, lang, session),
        )
        await send_critical(app, user_id, text, kind=KIND, member_id=user_id)
