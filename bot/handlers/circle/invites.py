"""A support person's own yes: the member's invite link, the invited person's accept or
decline (``/start c-<token>``), and ``/stepdown``."""

from __future__ import annotations

from telegram import Update

from bot.adapters.callbacks import Callback
from bot.adapters.keyboards import deep_link, keyboard
from bot.adapters.replies import reply
from bot.circle import invites, persons
from bot.circle.callbacks import ACCEPT, DECLINE, PERSON, STEPDOWN
from bot.context import Context
from bot.errors import StaleButtonError
from bot.handlers.circle.shared import btn, lang_of, person_of, show, t


async def on_invite(update: Update, context: Context, pressed: Callback) -> None:
    """A fresh single-use link for one of the member's persons, to send them themselves."""
    user = person_of(update)
    person = await persons.own_person(context.app, user.id, pressed.number(0))
    if person.tg_status == invites.ACCEPTED:
        raise StaleButtonError
    payload = await invites.create(context.app, user.id, user.first_name, person)
    lang = await lang_of(update, context)
    await show(
        update,
        context,
        t(
            context,
            lang,
            "circle.invite_link",
            name=person.name,
            link=deep_link(context, payload),
            hours=invites.INVITE_HOURS,
        ),
        keyboard([btn(t(context, lang, "circle.btn_back"), PERSON, person.id)]),
    )


async def open_invite(update: Update, context: Context, payload: str) -> None:
    """``/start c-<token>``: the invited person sees who asked them and what it means."""
    opened = await invites.open_link(context.app, payload, person_of(update).id)
    lang = await lang_of(update, context)
    await reply(
        update,
        context,
        "circle.invite_open",
        member=opened.member_name or t(context, lang, "circle.a_member"),
        reply_markup=keyboard(
            [btn(t(context, lang, "circle.btn_accept"), ACCEPT, opened.invite.id)],
            [btn(t(context, lang, "circle.btn_decline"), DECLINE, opened.invite.id)],
        ),
    )


async def on_accept(update: Update, context: Context, pressed: Callback) -> None:
    await _answer(update, context, pressed, yes=True)


async def on_decline(update: Update, context: Context, pressed: Callback) -> None:
    await _answer(update, context, pressed, yes=False)


async def _answer(update: Update, context: Context, pressed: Callback, *, yes: bool) -> None:
    user = person_of(update)
    shown = f"{user.full_name} (@{user.username})" if user.username else user.full_name
    await invites.answer(context.app, pressed.number(0), user.id, yes, shown)
    lang = await lang_of(update, context)
    key = "consent.invite_accepted_wait" if yes else "circle.invite_declined"
    await show(update, context, t(context, lang, key))


async def on_tg_confirm(update: Update, context: Context, pressed: Callback) -> None:
    """The member: "yes, that is them" — or not."""
    yes = pressed.number(1) == 1
    person = await invites.confirm(context.app, person_of(update).id, pressed.number(0), yes)
    lang = await lang_of(update, context)
    key = "consent.confirmed" if yes else "consent.not_confirmed"
    await show(update, context, t(context, lang, key, name=person.name))


async def stepdown(update: Update, context: Context) -> None:
    """``/stepdown``: the circles this person is in, one button each."""
    entries = await invites.supporting(context.app, person_of(update).id)
    if not entries:
        await reply(update, context, "circle.stepdown_none")
        return
    lang = await lang_of(update, context)
    rows = [
        [
            btn(
                t(
                    context,
                    lang,
                    "circle.btn_stepdown",
                    member=member or t(context, lang, "circle.a_member"),
                ),
                STEPDOWN,
                entry.id,
            )
        ]
        for entry, member in entries
    ]
    await reply(update, context, "circle.stepdown_pick", reply_markup=keyboard(*rows))


async def on_stepdown(update: Update, context: Context, pressed: Callback) -> None:
    await invites.step_down(context.app, pressed.number(0), person_of(update).id)
    lang = await lang_of(update, context)
    await show(update, context, t(context, lang, "circle.stepdown_done"))
