"""A support person's own yes: a single-use invite link, their accept or decline, and stepping
down later. The member is told each answer (never anything more about the support person)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.circle import callbacks
from bot.delivery.outbox import send_critical
from bot.errors import NotForYouError, RefusedError, StaleButtonError
from bot.people import language_of
from bot.records.circle import Invite, SupportPerson

if TYPE_CHECKING:
    from bot.context import App

INVITE_SECONDS = 72 * 3600
INVITE_HOURS = INVITE_SECONDS // 3600
INVITE_PREFIX = "c-"  # the /start payload of an invite link: c-<token>

ACCEPTED = "accepted"
DECLINED = "declined"
INVITED = "invited"
STEPPED_DOWN = "stepped_down"


@dataclass(frozen=True)
class Opened:
    """An invite the person opening the link now holds, and who asked them."""

    invite: Invite
    member_name: str | None


async def create(app: App, member_id: int, first_name: str, person: SupportPerson) -> str:
    """A fresh link's payload for one of the member's persons (earlier open links are revoked)."""
    data = app.bot_data
    store = data.store
    token = secrets.token_urlsafe(24)
    await store.circle.add_invite(person.id, member_id, token, data.clock.epoch() + INVITE_SECONDS)
    await store.circle.set_display_name(member_id, first_name)
    if person.tg_status != ACCEPTED:
        await store.circle.set_tg_status(person.id, INVITED)
    return f"{INVITE_PREFIX}{token}"


async def open_link(app: App, payload: str, opener_id: int) -> Opened:
    """The first person to open a valid link holds it; anyone else, or too late, is refused."""
    data = app.bot_data
    store = data.store
    token = payload.removeprefix(INVITE_PREFIX)
    invite = await store.circle.invite_by_token(token)
    if (
        invite is None
        or invite.member_id == opener_id
        or invite.status != "open"
        or invite.expires_at <= data.clock.epoch()
        or not await store.circle.open_invite(invite.id, opener_id)
    ):
        raise RefusedError("circle.invite_invalid")
    profile = await store.circle.profile(invite.member_id)
    return Opened(invite, profile.display_name)


async def answer(
    app: App, invite_id: int, user_id: int, yes: bool, shown_as: str
) -> SupportPerson:
    """The opener's accept or decline, once; the member is told. An accept does not make the
    person active: the member first sees which Telegram account accepted (``shown_as``: its
    name and @username) and confirms it is them; until then nothing is sent to it."""
    data = app.bot_data
    store = data.store
    invite = await store.circle.invite(invite_id)
    if invite is None or invite.status != "opened" or invite.expires_at <= data.clock.epoch():
        raise StaleButtonError
    if invite.opened_digest != store.circle.tg_digest(user_id):
        raise NotForYouError
    person = await store.circle.person(invite.person_id)
    if person is None or not await store.circle.answer_invite(
        invite.id, ACCEPTED if yes else DECLINED
    ):
        raise StaleButtonError
    if not yes:
        await store.circle.set_tg_status(person.id, DECLINED)
        await _tell_member(app, invite.member_id, "circle.member_declined", person.name)
        return person
    await store.circle.await_confirmation(person.id, invite.member_id, user_id, shown_as)
    lang = await language_of(data, invite.member_id)
    texts = data.texts
    await send_critical(
        app,
        invite.member_id,
        texts.t(lang, "consent.confirm_account", name=person.name, account=shown_as),
        kind="consent_question",
        buttons=[
            [
                (
                    texts.t(lang, "consent.btn_that_is"),
                    callbacks.data(callbacks.TG_CONFIRM, person.id, 1),
                )
            ],
            [
                (
                    texts.t(lang, "consent.btn_not_them"),
                    callbacks.data(callbacks.TG_CONFIRM, person.id, 0),
                )
            ],
        ],
        member_id=invite.member_id,
    )
    return person


async def confirm(app: App, member_id: int, person_id: int, yes: bool) -> SupportPerson:
    """The member's "yes, that is them" (the person becomes active and is told) or "no" (the
    account is forgotten and told nothing; the member can send a fresh link)."""
    store = app.bot_data.store
    person = await store.circle.person(person_id)
    if person is None:
        raise StaleButtonError
    if person.member_id != member_id:
        raise NotForYouError
    waiting = await store.circle.confirmation(person_id)
    if waiting is None or not await store.circle.drop_confirmation(person_id):
        raise StaleButtonError
    if not yes:
        await store.circle.set_tg_status(person.id, "none")
        return person
    await store.circle.set_telegram(person.id, ACCEPTED, waiting.tg_user_id)
    data = app.bot_data
    lang = await language_of(data, waiting.tg_user_id)
    profile = await store.circle.profile(member_id)
    await send_critical(
        app,
        waiting.tg_user_id,
        data.texts.t(
            lang,
            "consent.you_are_confirmed",
            member=profile.display_name or data.texts.t(lang, "circle.a_member"),
        ),
        kind="consent_answer",
        member_id=member_id,
    )
    return person


async def step_down(app: App, person_id: int, user_id: int) -> None:
    """A support person steps down from one member's circle; the member is told."""
    store = app.bot_data.store
    person = await store.circle.person(person_id)
    if person is None or person.tg_status != ACCEPTED:
        raise StaleButtonError
    if person.tg_user_id != user_id:
        raise NotForYouError
    await store.circle.set_telegram(person.id, STEPPED_DOWN, None)
    await _tell_member(app, person.member_id, "circle.member_stepped_down", person.name)


async def supporting(app: App, user_id: int) -> list[tuple[SupportPerson, str | None]]:
    """The circles this person accepted to be in, with each member's shown name."""
    store = app.bot_data.store
    return [
        (entry, (await store.circle.profile(entry.member_id)).display_name)
        for entry in await store.circle.supporting(user_id)
    ]


async def _tell_member(app: App, member_id: int, key: str, name: str) -> None:
    data = app.bot_data
    lang = await language_of(data, member_id)
    await send_critical(
        app,
        member_id,
        data.texts.t(lang, key, name=name),
        kind="consent_answer",
        member_id=member_id,
    )
