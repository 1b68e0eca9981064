"""An administrator's concern: the member is asked privately first, and only their answer
moves anything. No answer in time means no — unless they decided in advance."""

from __future__ import annotations

from typing import TYPE_CHECKING

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
from bot.people import language_of
from bot.records.circle import Escalation

if TYPE_CHECKING:
    from bot.context import App

# The timed work: the member's time to answer is over.
CONCERN_DUE = f"{FEATURE}.concern_due"


async def raise_concern(
    app: App, chat_id: int, admin_id: int, admin_name: str, member_id: int
) -> int | None:
    """Ask the member privately; ``None`` if an earlier concern is still waiting for them."""
    data = app.bot_data
    ledger = data.store.ledger
    for earlier in await ledger.escalations(member_id):
        if earlier.kind == ADMIN and earlier.status in OPEN_ADMIN:
            return None
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
    group = await data.store.groups.get(chat_id)
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
        "circle.concern_question",
        group=group.title if group else "",
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
    return escalation_id


async def approve(app: App, escalation: Escalation) -> Escalation | None:
    """ "Yes, I'll choose who": the member picks next. ``None`` when they have named nobody
    (then the concern is declined and the administrator told)."""
    ledger = app.bot_data.store.ledger
    if not await ledger.move(escalation.id, (ASKING,), PICKING):
        raise StaleButtonError
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
    outcomes = await disclosure.carry_out(app, escalation.id)
    await send_critical(
        app,
        escalation.member_id,
        data.texts.t(lang, "circle.concern_advance_member"),
        kind="consent_answer",
        member_id=escalation.member_id,
    )
    if not outcomes or not reached_someone(o.how for o in outcomes):
        await tell_admin(app, escalation, "circle.concern_admin_nobody")
