"""The escalation's moves once the member picks: "I need support now", choosing who to reach,
sending (the member's live yes, then the disclosure gate), cancelling — and telling the member
exactly who was reached, and how."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from telegram.error import TelegramError

from bot.circle import callbacks, consent, disclosure
from bot.circle.disclosure import Outcome, Place
from bot.circle.escalation import (
    ADMIN,
    APPROVED,
    CANCELLED,
    MEMBER,
    PICKING,
    needs_admin,
    offered,
    reached_someone,
    rotate,
    suggested,
    ticked,
    toggled,
)
from bot.delivery.outbox import send_critical
from bot.errors import NotForYouError, RefusedError, StaleButtonError
from bot.groups import lines
from bot.i18n import Safe
from bot.people import language_of
from bot.records.circle import Escalation

if TYPE_CHECKING:
    from bot.context import App, BotData

log = logging.getLogger(__name__)


async def crisis_lines(
    data: BotData, lang: str, member_id: int, chat_id: int | None = None
) -> Safe:
    """The support lines (the group's own, then its country's) of the member's chosen group,
    else of a set-up group they are in, else the deployment's. A group never set up (anyone can
    make one and add the member) never chooses the lines a member in crisis reads."""
    candidates = ([chat_id] if chat_id is not None else []) + await data.store.users.groups_of(
        member_id
    )
    store = data.store
    for candidate in candidates:
        group = await store.groups.get(candidate)
        if group is None or not group.registered or not group.active:
            continue
        known = await store.users.membership(candidate, member_id)
        added = known is not None and known.added_by is not None
        if added and await store.rules.gate_get(candidate, member_id) is not None:
            continue  # put there by someone else, still at its rules gate
        return await lines.for_group(data, lang, candidate)
    return await lines.for_group(data, lang, None)


async def own_escalation(app: App, escalation_id: int, user_id: int) -> Escalation:
    """The escalation a button is about, if it is the presser's own."""
    escalation = await app.bot_data.store.ledger.escalation(escalation_id)
    if escalation is None:
        raise StaleButtonError
    if escalation.member_id != user_id:
        raise NotForYouError
    return escalation


async def start(app: App, member_id: int, first_name: str) -> Escalation | None:
    """A new escalation in ``picking``; ``None`` when the member has named nobody. With exactly
    one group whose administrators may help, the picker names it and Send chooses it."""
    store = app.bot_data.store
    await store.circle.set_display_name(member_id, first_name)
    if not await store.circle.persons(member_id):
        return None
    escalation_id = await store.ledger.new_escalation(member_id, MEMBER, PICKING)
    found = await disclosure.places(app, member_id)
    if len(found) == 1:
        await store.ledger.choose_chat(escalation_id, found[0].chat_id)
    return await store.ledger.escalation(escalation_id)


async def _refreshed(app: App, escalation_id: int) -> Escalation:
    refreshed = await app.bot_data.store.ledger.escalation(escalation_id)
    if refreshed is None:
        raise StaleButtonError
    return refreshed


def _purposes(escalation: Escalation) -> dict[int, list[str]]:
    return {pid: list(ticks) for pid, ticks in escalation.purposes}


async def toggle(app: App, escalation: Escalation, person_id: int) -> Escalation:
    """Tick or untick one of the member's own persons while picking (a tick shows what would
    happen for them, changeable before Send)."""
    store = app.bot_data.store
    person = await store.circle.person(person_id)
    if escalation.status != PICKING or person is None or person.member_id != escalation.member_id:
        raise StaleButtonError
    chosen = toggled(escalation.persons, person.id)
    purposes = _purposes(escalation)
    if person.id in chosen:
        purposes[person.id] = list(
            suggested(
                on_telegram=person.on_telegram, has_phone=person.has_phone, kind=escalation.kind
            )
        )
    else:
        purposes.pop(person.id, None)
    await store.ledger.set_persons(escalation.id, chosen)
    await store.ledger.set_purposes(escalation.id, purposes)
    return await _refreshed(app, escalation.id)


async def toggle_purpose(
    app: App, escalation: Escalation, person_id: int, purpose: str
) -> Escalation:
    """Tick or untick one purpose for one chosen person: exactly what the yes will cover."""
    store = app.bot_data.store
    person = await store.circle.person(person_id)
    if (
        escalation.status != PICKING
        or person is None
        or person.member_id != escalation.member_id
        or person.id not in escalation.persons
        or purpose
        not in offered(
            on_telegram=person.on_telegram, has_phone=person.has_phone, kind=escalation.kind
        )
    ):
        raise StaleButtonError
    purposes = _purposes(escalation)
    purposes[person.id] = list(ticked(purposes.get(person.id, ()), purpose))
    await store.ledger.set_purposes(escalation.id, purposes)
    return await _refreshed(app, escalation.id)


async def choose_group(app: App, escalation: Escalation, chat_id: int) -> Escalation:
    """The member picks which group's administrators (only one that may help them now)."""
    if escalation.status != PICKING or escalation.kind != MEMBER:
        raise StaleButtonError
    if await disclosure.place(app, chat_id, escalation.member_id) is None:
        raise RefusedError("consent.group_not_eligible")
    await app.bot_data.store.ledger.choose_chat(escalation.id, chat_id)
    return await _refreshed(app, escalation.id)


async def choose_admin(app: App, escalation: Escalation, admin_id: int) -> Escalation:
    """The member names the administrator (0: whoever is on duty or next in turn)."""
    if escalation.status != PICKING or escalation.kind != MEMBER or escalation.chat_id is None:
        raise StaleButtonError
    ledger = app.bot_data.store.ledger
    if admin_id == 0:
        await ledger.choose_admin(escalation.id, None, None)
        return await _refreshed(app, escalation.id)
    if admin_id not in await disclosure.eligible_admins(
        app, escalation.chat_id, escalation.member_id
    ):
        raise RefusedError("consent.admin_not_available")
    await ledger.choose_admin(
        escalation.id, admin_id, await admin_name(app, escalation.chat_id, admin_id)
    )
    return await _refreshed(app, escalation.id)


async def admins_to_choose(app: App, escalation: Escalation) -> list[tuple[int, str, bool]]:
    """The administrators the member may name: (id, first name, on duty)."""
    if escalation.chat_id is None:
        return []
    duty = await app.bot_data.store.ledger.on_duty(escalation.chat_id)
    return [
        (admin_id, await admin_name(app, escalation.chat_id, admin_id) or "?", admin_id in duty)
        for admin_id in await disclosure.eligible_admins(
            app, escalation.chat_id, escalation.member_id
        )
    ]


async def approve(app: App, escalation: Escalation) -> Escalation:
    """The member's send: name an administrator (their own escalation), move to ``approved``
    once, and write their live yes — exactly what they ticked — to the ledger. Nothing is
    disclosed yet."""
    store = app.bot_data.store
    if escalation.status != PICKING:
        raise StaleButtonError
    if not escalation.persons:
        raise RefusedError("circle.pick_someone")
    for person_id in escalation.persons:
        person = await store.circle.person(person_id)
        possible = person is not None and offered(
            on_telegram=person.on_telegram, has_phone=person.has_phone, kind=escalation.kind
        )
        if possible and not escalation.purposes_of(person_id):
            raise RefusedError("consent.pick_purpose")
    if escalation.kind == MEMBER and needs_admin(escalation.purposes):
        if not escalation.chat_chosen and await disclosure.places(app, escalation.member_id):
            raise RefusedError("consent.pick_group")
        if escalation.chat_chosen and escalation.chat_id is not None:
            admin_id = await pick_admin(app, escalation)
            if admin_id != escalation.admin_id or not escalation.admin_chosen:
                await store.ledger.assign_admin(
                    escalation.id,
                    escalation.chat_id,
                    admin_id,
                    await admin_name(app, escalation.chat_id, admin_id) if admin_id else None,
                )
    refreshed = await store.ledger.escalation(escalation.id)
    if refreshed is None or not await store.ledger.move(escalation.id, (PICKING,), APPROVED):
        raise StaleButtonError
    await consent.give_live(app, refreshed)
    return refreshed


async def reach(
    app: App, approved: Escalation, lang: str, *, resuming: bool = False
) -> list[Outcome]:
    """Carry out an approved escalation through the gate; tell the member (in the same commit
    as its end) and the concerned administrator how it went. ``resuming``: at start-up, one
    the bot stopped part-way through is finished."""

    async def tell(escalation: Escalation, outcomes: list[Outcome]) -> None:
        await tell_member(app, lang, escalation, outcomes)

    from_gate = await disclosure.carry_out(app, approved.id, resuming=resuming, then=tell)
    if from_gate is None:
        return []  # not (or no longer) due: carried out once, by whoever took it
    if approved.kind == ADMIN:
        if reached_someone(o.how for o in from_gate):
            await tell_admin(app, approved, "circle.concern_admin_yes")
        else:
            await tell_admin(app, approved, "circle.concern_admin_nobody")
    return from_gate


async def resume(app: App) -> None:
    """At start-up: an "I need support now" the member sent but that the bot stopped before
    carrying out (killed between the send and the reaching), or part-way through reaching
    people, is carried out now — those already reached are not reached again — and the
    member is told how it went, as they would have been."""
    ledger = app.bot_data.store.ledger
    waiting = await ledger.approved_not_begun() + await ledger.left_delivering()
    for approved in waiting:
        lang = await language_of(app.bot_data, approved.member_id)
        await reach(app, approved, lang, resuming=True)
    if waiting:
        log.info("start-up: %d sent escalations carried out", len(waiting))


async def cancel(app: App, escalation: Escalation) -> None:
    """The member stops their own "I need support now" while picking."""
    if not await app.bot_data.store.ledger.move(escalation.id, (PICKING,), CANCELLED):
        raise StaleButtonError


async def tell_member(
    app: App, lang: str, escalation: Escalation, outcomes: list[Outcome]
) -> None:
    """Tell the member exactly who was contacted, and how — honestly when nobody was."""
    data = app.bot_data
    texts = data.texts
    member_id = escalation.member_id
    admin = escalation.admin_name or texts.t(lang, "circle.an_admin")
    lines = []
    for outcome in outcomes:
        person = await data.store.circle.person(outcome.person_id)
        name = person.name if person else "?"
        lines.append(texts.t(lang, f"circle.outcome_{outcome.how}", name=name, admin=admin))
    if (
        escalation.kind == MEMBER
        and escalation.chat_id is None
        and needs_admin(escalation.purposes)
    ):
        lines.append(texts.t(lang, "consent.summary_no_group"))
    text = texts.t(lang, "circle.summary", lines=Safe("\n".join(lines)))
    if not reached_someone(o.how for o in outcomes):
        text = texts.t(
            lang,
            "circle.summary_nobody",
            lines=Safe("\n".join(lines)),
            crisis=await crisis_lines(
                data, lang, member_id, escalation.chat_id if escalation.chat_chosen else None
            ),
        )
    buttons = None
    if await undelivered_without_consent(app, escalation):
        text = Safe(text + "\n\n" + texts.t(lang, "consent.ask_admin_instead"))
        buttons = [
            [
                (
                    texts.t(lang, "consent.btn_ask_admin_instead"),
                    callbacks.data(callbacks.FOLLOW_UP, escalation.id),
                )
            ]
        ]
    await send_critical(app, member_id, text, kind="summary", member_id=member_id, buttons=buttons)


async def undelivered_without_consent(app: App, escalation: Escalation) -> list[int]:
    """The persons whose help text could not be delivered, who have a number, and whose
    number the member did not allow an administrator to see (they are asked, not assumed)."""
    if escalation.kind != MEMBER:
        return []
    store = app.bot_data.store
    failed = {
        d.person_id
        for d in await store.ledger.disclosures(escalation.member_id)
        if d.escalation_id == escalation.id and d.what == "help_text" and d.status == "undelivered"
    }
    found = []
    for person_id in escalation.persons:
        person = await store.circle.person(person_id)
        if (
            person is not None
            and person.id in failed
            and person.has_phone
            and "see" not in escalation.purposes_of(person_id)
        ):
            found.append(person_id)
    return found


async def follow_up(app: App, escalation: Escalation) -> Escalation:
    """ "Ask an administrator to phone them": a new request for those persons only, with
    "admin sees number" and "admin may phone" ticked for the member to review and send."""
    store = app.bot_data.store
    persons = await undelivered_without_consent(app, escalation)
    # once only: the answered request moves on, so a second press finds nothing to do
    if not persons or not await store.ledger.move(escalation.id, ("done",), "followed_up"):
        raise StaleButtonError
    escalation_id = await store.ledger.new_escalation(escalation.member_id, MEMBER, PICKING)
    await store.ledger.set_persons(escalation_id, persons)
    await store.ledger.set_purposes(escalation_id, {pid: ["see", "contact"] for pid in persons})
    found = await disclosure.places(app, escalation.member_id)
    chosen = [
        p.chat_id for p in found if escalation.chat_chosen and p.chat_id == escalation.chat_id
    ]
    if chosen or len(found) == 1:
        await store.ledger.choose_chat(escalation_id, (chosen or [found[0].chat_id])[0])
    return await _refreshed(app, escalation_id)


async def tell_admin(app: App, escalation: Escalation, key: str) -> None:
    """Tell the concerned administrator what came of it (never who or what was shared) —
    only while they are still an administrator the member's request may reach."""
    if escalation.admin_id is None or not await disclosure.may_tell_admin(app, escalation):
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


async def admin_name(app: App, chat_id: int, admin_id: int) -> str | None:
    """An administrator's Telegram first name, asked live (nothing is stored but the
    escalation's encrypted copy)."""
    try:
        member = await app.bot.get_chat_member(chat_id, admin_id)
    except TelegramError:
        return None
    return member.user.first_name


async def pick_admin(app: App, escalation: Escalation) -> int | None:
    """The administrator for this request's phone card: the one the member named, if still
    available; else reachable ones on duty first, taking turns fairly."""
    chat_id = escalation.chat_id
    if chat_id is None:
        return None
    candidates = await disclosure.eligible_admins(app, chat_id, escalation.member_id)
    if escalation.admin_chosen and escalation.admin_id in candidates:
        return escalation.admin_id
    ledger = app.bot_data.store.ledger
    return rotate(candidates, await ledger.on_duty(chat_id), await ledger.last_cards(chat_id))


async def places(app: App, member_id: int) -> list[Place]:
    """The groups whose administrators may help the member now (for the picker)."""
    return await disclosure.places(app, member_id)
