"""The escalation's moves once the member picks: "I need support now", choosing who to reach,
sending (the member's live yes, then the disclosure gate), cancelling — and telling the member
exactly who was reached, and how."""

from __future__ import annotations

from typing import TYPE_CHECKING

from telegram.error import TelegramError

from bot.circle import consent, disclosure
from bot.circle.disclosure import Outcome
from bot.circle.escalation import (
    ADMIN,
    APPROVED,
    CANCELLED,
    MEMBER,
    PICKING,
    reached_someone,
    toggled,
)
from bot.delivery.outbox import send_critical
from bot.errors import NotForYouError, RefusedError, StaleButtonError
from bot.i18n import Safe
from bot.people import language_of
from bot.records.circle import Escalation

if TYPE_CHECKING:
    from bot.context import App, BotData


async def crisis_lines(data: BotData, lang: str, member_id: int) -> Safe:
    """The crisis lines of the member's group's country (else the deployment's)."""
    country = data.settings.default_country
    for chat_id in await data.store.users.groups_of(member_id):
        group = await data.store.groups.get(chat_id)
        if group is not None:
            country = group.crisis_country
            break
    return data.crisis.render(data.texts, lang, country)


async def own_escalation(app: App, escalation_id: int, user_id: int) -> Escalation:
    """The escalation a button is about, if it is the presser's own."""
    escalation = await app.bot_data.store.ledger.escalation(escalation_id)
    if escalation is None:
        raise StaleButtonError
    if escalation.member_id != user_id:
        raise NotForYouError
    return escalation


async def start(app: App, member_id: int, first_name: str) -> Escalation | None:
    """A new escalation in ``picking``; ``None`` when the member has named nobody."""
    store = app.bot_data.store
    await store.circle.set_display_name(member_id, first_name)
    if not await store.circle.persons(member_id):
        return None
    escalation_id = await store.ledger.new_escalation(member_id, MEMBER, PICKING)
    return await store.ledger.escalation(escalation_id)


async def toggle(app: App, escalation: Escalation, person_id: int) -> Escalation:
    """Tick or untick one of the member's own persons while picking."""
    store = app.bot_data.store
    person = await store.circle.person(person_id)
    if escalation.status != PICKING or person is None or person.member_id != escalation.member_id:
        raise StaleButtonError
    await store.ledger.set_persons(escalation.id, toggled(escalation.persons, person.id))
    refreshed = await store.ledger.escalation(escalation.id)
    if refreshed is None:
        raise StaleButtonError
    return refreshed


async def approve(app: App, escalation: Escalation) -> Escalation:
    """The member's send: name an administrator (their own escalation), move to ``approved``
    once, and write their live yes to the ledger. Nothing is disclosed yet."""
    store = app.bot_data.store
    if escalation.status != PICKING:
        raise StaleButtonError
    if not escalation.persons:
        raise RefusedError("circle.pick_someone")
    if escalation.kind == MEMBER:
        chat_id, admin_id, admin_name = await pick_admin(app, escalation.member_id)
        await store.ledger.assign_admin(escalation.id, chat_id, admin_id, admin_name)
    refreshed = await store.ledger.escalation(escalation.id)
    if refreshed is None or not await store.ledger.move(escalation.id, (PICKING,), APPROVED):
        raise StaleButtonError
    await consent.give_live(app, refreshed)
    return refreshed


async def reach(app: App, approved: Escalation, lang: str) -> list[Outcome]:
    """Carry out an approved escalation through the gate; tell the member (and the concerned
    administrator) how it went."""
    from_gate = await disclosure.carry_out(app, approved.id) or []
    done = await app.bot_data.store.ledger.escalation(approved.id)
    await tell_member(app, lang, done or approved, from_gate)
    if approved.kind == ADMIN:
        if reached_someone(o.how for o in from_gate):
            await tell_admin(app, approved, "circle.concern_admin_yes")
        else:
            await tell_admin(app, approved, "circle.concern_admin_nobody")
    return from_gate


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
    text = texts.t(lang, "circle.summary", lines=Safe("\n".join(lines)))
    if not reached_someone(o.how for o in outcomes):
        text = texts.t(
            lang,
            "circle.summary_nobody",
            lines=Safe("\n".join(lines)),
            crisis=await crisis_lines(data, lang, member_id),
        )
    await send_critical(app, member_id, text, kind="summary", member_id=member_id)


async def tell_admin(app: App, escalation: Escalation, key: str) -> None:
    """Tell the concerned administrator what came of it (never who or what was shared)."""
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
