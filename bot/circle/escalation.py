"""Escalation flows: the member's "I need support now" and an administrator's concern.

Nothing here shows a support person's detail: the moment anything goes out, it goes through
``bot.circle.disclosure.carry_out``. This module only records what the member decided (live
consent in the ledger) and moves escalations between states, each move conditional on the
current state so a replayed button or a late timer does nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import TelegramError

from bot.adapters.replies import send_private
from bot.circle import consent, disclosure
from bot.circle.outbox import send_critical
from bot.people import language_of
from bot.records.circle import Escalation
from bot.records.scheduled import ScheduledAction

if TYPE_CHECKING:
    from bot.context import App

log = logging.getLogger(__name__)

CONCERN_DUE = "circlejob.concern_due"
ADVANCE_ENDS = "circlejob.advance_ends"
OPEN_ADMIN = ("asking", "picking")


@dataclass(frozen=True)
class AdvancePlan:
    persons: tuple[int, ...]
    wait_minutes: int
    decided_at: int


async def advance_plan(app: App, member_id: int) -> AdvancePlan | None:
    """The member's valid advance consent: who, and how long to wait for a live answer."""
    data = app.bot_data
    store = data.store
    now = data.clock.epoch()
    await disclosure.expire(app, member_id)
    persons: list[int] = []
    wait = consent.DEFAULT_WAIT_MINUTES
    decided = 0
    for person in await store.circle.persons(member_id):
        for purpose in ("see", "help"):
            entry = await store.ledger.latest(member_id, person.id, purpose, "advance", None)
            if consent.is_valid(entry, now) and entry is not None:
                if person.id not in persons:
                    persons.append(person.id)
                if entry.created_at >= decided:
                    decided = entry.created_at
                    wait = entry.wait_minutes or consent.DEFAULT_WAIT_MINUTES
    if not persons:
        return None
    return AdvancePlan(persons=tuple(persons), wait_minutes=wait, decided_at=decided)


async def give_live_consent(app: App, escalation: Escalation) -> None:
    """The member's yes for this escalation, written to the ledger, one entry per purpose."""
    ledger = app.bot_data.store.ledger
    for person_id in escalation.persons:
        for purpose in ("see", "contact", "help"):
            await ledger.append(
                escalation.member_id,
                person_id,
                purpose,
                scope="live",
                event="given",
                escalation_id=escalation.id,
            )


async def pick_admin(app: App, member_id: int) -> tuple[int | None, int | None, str | None]:
    """An available administrator of the member's group: (group, admin, admin's first name)."""
    data = app.bot_data
    for chat_id in await data.store.users.groups_of(member_id):
        try:
            admins = await data.admins.admins(app.bot, chat_id, fresh=True)
        except TelegramError:
            continue
        for admin_id in sorted(admins.user_ids):
            if admin_id == member_id:
                continue
            person = await data.store.users.get(admin_id)
            if person is None or not person.reachable:
                continue
            try:
                member = await app.bot.get_chat_member(chat_id, admin_id)
                name = member.user.first_name
            except TelegramError:
                name = None
            return chat_id, admin_id, name
    groups = await data.store.users.groups_of(member_id)
    return (groups[0] if groups else None), None, None


async def open_concern(
    app: App, chat_id: int, admin_id: int, admin_name: str, member_id: int
) -> int | None:
    """Ask the member privately; ``None`` if an earlier concern is still waiting for them."""
    data = app.bot_data
    ledger = data.store.ledger
    for earlier in await ledger.escalations(member_id):
        if earlier.kind == "admin" and earlier.status in OPEN_ADMIN:
            return None
    plan = await advance_plan(app, member_id)
    minutes = plan.wait_minutes if plan else consent.LIVE_ANSWER_MINUTES
    due_at = data.clock.epoch() + minutes * 60
    escalation_id = await ledger.new_escalation(
        member_id,
        "admin",
        "asking",
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
    markup = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    texts.t(lang, "circle.concern_yes"), callback_data=f"circle:cy:{escalation_id}"
                )
            ],
            [
                InlineKeyboardButton(
                    texts.t(lang, "circle.concern_no"), callback_data=f"circle:cn:{escalation_id}"
                )
            ],
            [
                InlineKeyboardButton(
                    texts.t(lang, "circle.concern_talk"),
                    callback_data=f"circle:ct:{escalation_id}",
                )
            ],
        ]
    )
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
        markup=markup,
        member_id=member_id,
        fail_chat=admin_id,
        fail_text=texts.t(admin_lang, "circle.concern_unreachable"),
    )
    return escalation_id


async def tell_admin(app: App, escalation: Escalation, key: str) -> None:
    if escalation.admin_id is None:
        return
    data = app.bot_data
    lang = await language_of(data, escalation.admin_id)
    await send_critical(
        app,
        escalation.admin_id,
        data.texts.t(lang, key, ref=escalation.id),
        kind="consent_answer",
        member_id=escalation.member_id,
    )


async def concern_due_job(app: App, action: ScheduledAction) -> None:
    """The member did not answer in time: no answer means no — unless decided in advance."""
    data = app.bot_data
    ledger = data.store.ledger
    escalation = await ledger.escalation(int(action.payload["escalation"]))
    if escalation is None or escalation.status not in OPEN_ADMIN:
        return
    plan = await advance_plan(app, escalation.member_id)
    lang = await language_of(data, escalation.member_id)
    if plan is None:
        if await ledger.move(escalation.id, OPEN_ADMIN, "no_answer"):
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
    if not await ledger.move(escalation.id, OPEN_ADMIN, "advance"):
        return
    outcomes = await disclosure.carry_out(app, escalation.id)
    await send_critical(
        app,
        escalation.member_id,
        data.texts.t(lang, "circle.concern_advance_member"),
        kind="consent_answer",
        member_id=escalation.member_id,
    )
    if not outcomes or all(o.how in ("unreachable", "help_failed") for o in outcomes):
        await tell_admin(app, escalation, "circle.concern_admin_nobody")


async def advance_ends_job(app: App, action: ScheduledAction) -> None:
    """An advance decision reached its end date: record it as expired and tell the member."""
    member_id = action.user_id
    if member_id is None:
        return
    if await disclosure.expire(app, member_id) == 0:
        return
    data = app.bot_data
    lang = await language_of(data, member_id)
    await send_private(app.bot, data, member_id, data.texts.t(lang, "circle.advance_ended"))
