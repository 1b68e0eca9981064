"""An administrator's concern: the member is asked privately first, and only their answer
moves anything. No answer in time means no — unless they decided in advance."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from telegram.error import TelegramError

from bot.circle import callbacks, consent, disclosure
from bot.circle.callbacks import FEATURE
from bot.circle.escalation import (
    ADMIN,
    ADVANCE,
    ASKING,
    DECLINED,
    NO_ANSWER,
    OPEN_ADMIN,
    PICKING,
    TALK,
    reached_someone,
)
from bot.circle.support_now import tell_admin
from bot.delivery.outbox import send_critical
from bot.errors import StaleButtonError
from bot.people import language_of, zone_of
from bot.records.circle import Escalation

if TYPE_CHECKING:
    from bot.context import App

# The timed work: the member's time to answer is over.
CONCERN_DUE = f"{FEATURE}.concern_due"

# The timed work: the neutral note to an anonymous administrator disappears.
NOTE_GONE = f"{FEATURE}.note_gone"
NOTE_SECONDS = 60

MAX_CONCERNS = 5  # an administrator's concerns per day, so nobody can flood a member
CONCERN_WINDOW = 24 * 3600

ASKED = "asked"
PENDING = "pending"
TOO_MANY = "too_many"
NOT_ADMIN = "not_admin"


@dataclass(frozen=True)
class Raised:
    """What came of an administrator's concern: ``asked`` (with the escalation), ``pending``
    (this group's earlier concern is still waiting), ``too_many`` or ``not_admin``."""

    outcome: str
    escalation_id: int | None = None


async def raise_concern(
    app: App, chat_id: int, admin_id: int, admin_name: str, member_id: int
) -> Raised:
    """Ask the member privately — only for a live administrator of a set-up group the member is
    in now (the gate's own checks); one open concern per member per group; rate-limited."""
    data = app.bot_data
    ledger = data.store.ledger
    reason = await disclosure.admin_refusal(app, chat_id, admin_id, member_id)
    if reason is not None:
        await ledger.record_refusal(
            member_id=member_id,
            escalation_id=None,
            chat_id=chat_id,
            recipient_id=admin_id,
            purpose="concern",
            reason=reason,
        )
        return Raised(NOT_ADMIN)
    if await ledger.open_concerns(member_id, chat_id):
        return Raised(PENDING)
    if await ledger.concerns_by(admin_id, data.clock.epoch() - CONCERN_WINDOW) >= MAX_CONCERNS:
        return Raised(TOO_MANY)
    plan = await consent.advance_plan(app, member_id)
    minutes = plan.wait_minutes if plan else consent.LIVE_ANSWER_MINUTES
    due_at = data.clock.epoch() + minutes * 60
    escalation_id = await ledger.new_escalation(
        member_id,
        ADMIN,
        ASKING,
        chat_id=chat_id,
        admin_id=admin_id,
        admin_name=admin_name,
        due_at=due_at,
    )
    await data.scheduler.schedule(
        app,
        CONCERN_DUE,
        due_at,
        chat_id=chat_id,
        user_id=member_id,
        payload={"escalation": escalation_id},
        dedupe_key=f"{CONCERN_DUE}:{escalation_id}",
    )
    texts = data.texts
    lang = await language_of(data, member_id)
    where = await disclosure.place(app, chat_id, member_id)
    group = await data.store.groups.get(chat_id)
    zone = await zone_of(data, chat_id)
    buttons = [
        [(texts.t(lang, "circle.concern_yes"), callbacks.data(callbacks.APPROVE, escalation_id))],
        [(texts.t(lang, "circle.concern_no"), callbacks.data(callbacks.REFUSE, escalation_id))],
        [
            (
                texts.t(lang, "circle.concern_talk"),
                callbacks.data(callbacks.TALK_FIRST, escalation_id),
            )
        ],
    ]
    question = texts.t(
        lang,
        "consent.concern_question",
        admin=admin_name,
        group=disclosure.describe(texts, lang, where, zone)
        if where
        else (group.title if group else ""),
        minutes=minutes,
    )
    if plan:
        question = texts.t(
            lang, "circle.concern_question_advance", question=question, minutes=minutes
        )
    admin_lang = await language_of(data, admin_id)
    await send_critical(
        app,
        member_id,
        question,
        kind="consent_question",
        buttons=buttons,
        member_id=member_id,
        fail_chat=admin_id,
        fail_text=texts.t(admin_lang, "circle.concern_unreachable"),
    )
    return Raised(ASKED, escalation_id)


async def approve(app: App, escalation: Escalation) -> Escalation | None:
    """ "Yes, I'll choose who": the member picks next. ``None`` when they have named nobody
    (then the concern is declined and the administrator told)."""
    ledger = app.bot_data.store.ledger
    if not await ledger.move(escalation.id, (ASKING,), PICKING):
        raise StaleButtonError
    # the question named the administrator and the group: this yes chooses them
    await ledger.confirm_chat(escalation.id)
    refreshed = await ledger.escalation(escalation.id)
    if refreshed is None:
        raise StaleButtonError
    if not await app.bot_data.store.circle.persons(escalation.member_id):
        await ledger.move(escalation.id, (PICKING,), DECLINED)
        await tell_admin(app, refreshed, "circle.concern_admin_nobody")
        return None
    return refreshed


async def refuse(app: App, escalation: Escalation) -> None:
    """ "No, please don't" (or cancelling the picking of a concern): nothing is shared."""
    if not await app.bot_data.store.ledger.move(escalation.id, OPEN_ADMIN, DECLINED):
        raise StaleButtonError
    await tell_admin(app, escalation, "circle.concern_admin_no")


async def talk_first(app: App, escalation: Escalation) -> None:
    """ "I'd like to talk with an administrator first": nothing is shared."""
    if not await app.bot_data.store.ledger.move(escalation.id, OPEN_ADMIN, TALK):
        raise StaleButtonError
    await tell_admin(app, escalation, "circle.concern_admin_talk")


async def answer_due(app: App, escalation_id: int) -> None:
    """The member did not answer in time: no answer means no — unless decided in advance."""
    data = app.bot_data
    ledger = data.store.ledger
    escalation = await ledger.escalation(escalation_id)
    if escalation is None or escalation.status not in OPEN_ADMIN:
        return
    plan = await consent.advance_plan(app, escalation.member_id)
    lang = await language_of(data, escalation.member_id)
    if plan is None:
        if await ledger.move(escalation.id, OPEN_ADMIN, NO_ANSWER):
            await tell_admin(app, escalation, "circle.concern_admin_no_answer")
            await send_critical(
                app,
                escalation.member_id,
                data.texts.t(lang, "circle.concern_closed"),
                kind="consent_answer",
                member_id=escalation.member_id,
            )
        return
    await ledger.set_persons(escalation.id, list(plan.persons))
    if not await ledger.move(escalation.id, OPEN_ADMIN, ADVANCE):
        return
    await _as_decided(app, escalation, lang)


async def _as_decided(
    app: App, escalation: Escalation, lang: str, *, resuming: bool = False
) -> None:
    """Carry out what the member decided in advance; they are told in the same commit as its
    end, the administrator after it if nobody could be reached."""
    data = app.bot_data

    async def tell(_escalation: Escalation, _outcomes: list[disclosure.Outcome]) -> None:
        await send_critical(
            app,
            escalation.member_id,
            data.texts.t(lang, "circle.concern_advance_member"),
            kind="consent_answer",
            member_id=escalation.member_id,
        )

    outcomes = await disclosure.carry_out(app, escalation.id, resuming=resuming, then=tell)
    if outcomes is None:
        return  # not (or no longer) due: carried out once, by whoever took it
    if not reached_someone(o.how for o in outcomes):
        await tell_admin(app, escalation, "circle.concern_admin_nobody")


async def resume(app: App) -> None:
    """At start-up: what a member decided in advance, that the bot stopped before or while
    carrying out, is finished — those already reached are not reached again."""
    data = app.bot_data
    for escalation in await data.store.ledger.left_in_advance():
        await _as_decided(
            app, escalation, await language_of(data, escalation.member_id), resuming=True
        )


async def anonymous_note(app: App, chat_id: int) -> None:
    """An anonymous administrator's command was removed: a neutral note (it never says what
    the command was) asks them to use their own account, and disappears after a minute."""
    data = app.bot_data
    group = await data.store.groups.get(chat_id)
    lang = group.language if group else data.settings.default_language
    note = await app.bot.send_message(chat_id, data.texts.t(lang, "consent.own_account"))
    await data.scheduler.schedule(
        app,
        NOTE_GONE,
        data.clock.epoch() + NOTE_SECONDS,
        chat_id=chat_id,
        payload={"message": note.message_id},
        dedupe_key=f"{NOTE_GONE}:{chat_id}:{note.message_id}",
    )


async def groups_administered(app: App, user_id: int) -> list[int]:
    """The set-up groups this person administers now (Telegram's fresh lists)."""
    data = app.bot_data
    found = []
    for group in await data.store.groups.active():
        if not group.registered:
            continue
        try:
            if await data.admins.is_admin(app.bot, group.chat_id, user_id, fresh=True):
                found.append(group.chat_id)
        except TelegramError:
            continue
    return found


async def raise_privately(app: App, admin_id: int, admin_name: str, member_id: int) -> Raised:
    """``/concern ID``: from a set-up group this person administers where the member may be
    asked now (members from before the bot are asked about live); else refused, once."""
    administered = await groups_administered(app, admin_id)
    for chat_id in administered:
        if await disclosure.group_refusal(app, chat_id, member_id) is None:
            return await raise_concern(app, chat_id, admin_id, admin_name, member_id)
    if administered:
        return await raise_concern(app, administered[0], admin_id, admin_name, member_id)
    return Raised(NOT_ADMIN)
