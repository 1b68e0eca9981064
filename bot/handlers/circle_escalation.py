"""Escalation, only with consent: "I need support now" and an administrator's /concern."""

from __future__ import annotations

from typing import TYPE_CHECKING

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CommandHandler, filters

from bot.adapters.replies import delete_quietly, send_private
from bot.circle import disclosure, escalation
from bot.circle.disclosure import Outcome
from bot.circle.escalation import (
    ADVANCE_ENDS,
    CONCERN_DUE,
    advance_ends_job,
    concern_due_job,
    open_concern,
    tell_admin,
)
from bot.circle.outbox import send_critical
from bot.context import Context
from bot.handlers.common import Actor, is_anonymous_admin, language_for, reply, text_of
from bot.i18n import Safe
from bot.records.circle import Escalation
from bot.scheduler import ActionHandler

if TYPE_CHECKING:
    from bot.context import App

PRIVATE = filters.ChatType.PRIVATE
GROUPS = filters.ChatType.GROUPS


def _app(context: Context) -> App:
    return context.application  # type: ignore[return-value]


async def _crisis(context: Context, lang: str, member_id: int) -> Safe:
    data = context.bot_data
    country = data.settings.default_country
    for chat_id in await data.store.users.groups_of(member_id):
        group = await data.store.groups.get(chat_id)
        if group is not None:
            country = group.crisis_country
            break
    return data.crisis.render(data.texts, lang, country)


# -- "I need support now" --------------------------------------------------------------------


async def support_now(update: Update, context: Context) -> None:
    from bot.handlers.circle import answer_quietly

    user = update.effective_user
    if user is None:
        return
    data = context.bot_data
    store = data.store
    await store.users.seen_private(user.id, user.language_code)
    await store.circle.set_display_name(user.id, user.first_name)
    lang = await language_for(update, context)
    persons = await store.circle.persons(user.id)
    if update.callback_query is not None:
        await answer_quietly(update.callback_query)
    if not persons:
        await reply(
            update,
            context,
            "circle.support_nobody_named",
            lines=await _crisis(context, lang, user.id),
        )
        return
    escalation_id = await store.ledger.new_escalation(user.id, "member", "picking")
    esc = await store.ledger.escalation(escalation_id)
    if esc is not None:
        await picker(update, context, esc, new_message=True)


async def picker(
    update: Update, context: Context, esc: Escalation, *, new_message: bool = False
) -> None:
    """The member ticks who to reach (toggle buttons), then sends."""
    from bot.handlers.circle import show

    store = context.bot_data.store
    lang = await language_for(update, context)
    rows: list[list[InlineKeyboardButton]] = []
    for person in await store.circle.persons(esc.member_id):
        mark = "✅" if person.id in esc.persons else "▫️"
        how = text_of(
            context, lang, "circle.via_telegram" if person.on_telegram else "circle.via_phone"
        )
        rows.append(
            [
                InlineKeyboardButton(
                    f"{mark} {person.name} ({how})",
                    callback_data=f"circle:ep:{esc.id}:{person.id}",
                )
            ]
        )
    rows.append(
        [
            InlineKeyboardButton(
                text_of(context, lang, "circle.btn_send"), callback_data=f"circle:eok:{esc.id}"
            ),
            InlineKeyboardButton(
                text_of(context, lang, "circle.btn_cancel"), callback_data=f"circle:ex:{esc.id}"
            ),
        ]
    )
    key = "circle.pick_member" if esc.kind == "member" else "circle.pick_concern"
    text = text_of(context, lang, key)
    if new_message and update.effective_chat is not None:
        await context.bot.send_message(
            update.effective_chat.id, text, reply_markup=InlineKeyboardMarkup(rows)
        )
        return
    await show(update, context, text, InlineKeyboardMarkup(rows))


async def approve(update: Update, context: Context, esc: Escalation) -> None:
    """The member's yes with their chosen people: record it, then reach them through the gate."""
    from bot.handlers.circle import show

    data = context.bot_data
    store = data.store
    app = _app(context)
    lang = await language_for(update, context)
    if not esc.persons:
        from bot.handlers.circle import answer_alert

        await answer_alert(update, context, "circle.pick_someone")
        return
    if esc.kind == "member":
        chat_id, admin_id, admin_name = await escalation.pick_admin(app, esc.member_id)
        await store.ledger.assign_admin(esc.id, chat_id, admin_id, admin_name)
    refreshed = await store.ledger.escalation(esc.id)
    if refreshed is None or not await store.ledger.move(esc.id, ("picking",), "approved"):
        from bot.handlers.circle import stale

        await stale(update, context)
        return
    await escalation.give_live_consent(app, refreshed)
    await show(update, context, text_of(context, lang, "circle.reaching"))
    outcomes = await disclosure.carry_out(app, esc.id) or []
    done = await store.ledger.escalation(esc.id)
    await summary(context, esc.member_id, lang, done or refreshed, outcomes)
    if esc.kind == "admin":
        if all(o.how in ("unreachable", "help_failed") for o in outcomes):
            await tell_admin(app, refreshed, "circle.concern_admin_nobody")
        else:
            await tell_admin(app, refreshed, "circle.concern_admin_yes")


async def summary(
    context: Context, member_id: int, lang: str, esc: Escalation, outcomes: list[Outcome]
) -> None:
    """Tell the member exactly who was contacted, and how — honestly when nobody was."""
    store = context.bot_data.store
    admin = esc.admin_name or text_of(context, lang, "circle.an_admin")
    lines = []
    for outcome in outcomes:
        person = await store.circle.person(outcome.person_id)
        name = person.name if person else "?"
        lines.append(
            text_of(context, lang, f"circle.outcome_{outcome.how}", name=name, admin=admin)
        )
    reached = any(o.how not in ("unreachable", "help_failed") for o in outcomes)
    text = text_of(context, lang, "circle.summary", lines=Safe("\n".join(lines)))
    if not reached:
        text = text_of(
            context,
            lang,
            "circle.summary_nobody",
            lines=Safe("\n".join(lines)),
            crisis=await _crisis(context, lang, member_id),
        )
    await send_critical(_app(context), member_id, text, kind="summary", member_id=member_id)


# -- an administrator's concern --------------------------------------------------------------


async def concern_group(update: Update, context: Context) -> None:
    message = update.effective_message
    chat = update.effective_chat
    if message is None or chat is None:
        return
    # Deleted at once, whoever sent it: the group never sees that a concern was raised.
    await delete_quietly(context.bot, chat.id, message.message_id)
    sender = message.from_user
    if is_anonymous_admin(message):
        actor: Actor | None = Actor(user_id=None, anonymous_admin=True)
    elif sender is not None and await context.bot_data.admins.is_admin(
        context.bot, chat.id, sender.id, fresh=True
    ):
        actor = Actor(user_id=sender.id)
    else:
        actor = None
    if actor is None:
        if sender is not None:
            lang = await _lang_of_user(context, sender.id)
            await send_private(
                context.bot,
                context.bot_data,
                sender.id,
                text_of(context, lang, "common.admins_only"),
            )
        return
    if actor.user_id is None:
        await context.bot.send_message(
            chat.id,
            text_of(context, await language_for(update, context), "circle.concern_anonymous"),
        )
        return
    admin = message.from_user
    target = message.reply_to_message.from_user if message.reply_to_message else None
    data = context.bot_data
    admin_lang = await _lang_of_user(context, actor.user_id)
    if target is None or target.is_bot or target.id == actor.user_id:
        await send_private(
            context.bot, data, actor.user_id, text_of(context, admin_lang, "circle.concern_usage")
        )
        return
    await data.store.users.ensure(target.id, target.language_code)
    await _raise(context, chat.id, actor.user_id, admin.first_name if admin else "", target.id)


async def concern_private(update: Update, context: Context) -> None:
    user = update.effective_user
    if user is None:
        return
    data = context.bot_data
    await data.store.users.seen_private(user.id, user.language_code)
    try:
        member_id = int(context.args[0]) if context.args else None
    except ValueError:
        member_id = None
    if member_id is None or member_id == user.id:
        await reply(update, context, "circle.concern_usage")
        return
    for chat_id in await data.store.users.groups_of(member_id):
        if await data.admins.is_admin(context.bot, chat_id, user.id, fresh=True):
            await _raise(context, chat_id, user.id, user.first_name, member_id)
            return
    await reply(update, context, "circle.concern_not_admin")


async def _raise(
    context: Context, chat_id: int, admin_id: int, admin_name: str, member_id: int
) -> None:
    data = context.bot_data
    lang = await _lang_of_user(context, admin_id)
    escalation_id = await open_concern(_app(context), chat_id, admin_id, admin_name, member_id)
    key = "circle.concern_pending" if escalation_id is None else "circle.concern_asked"
    await send_private(context.bot, data, admin_id, text_of(context, lang, key))


async def _lang_of_user(context: Context, user_id: int) -> str:
    from bot.people import language_of

    return await language_of(context.bot_data, user_id)


# -- the member's answers --------------------------------------------------------------------


async def on_button(update: Update, context: Context) -> None:
    from bot.handlers.circle import int_at, not_for_you, parts, show, stale

    query = update.callback_query
    user = update.effective_user
    if query is None or user is None:
        return
    items = parts(query)
    verb = items[1]
    store = context.bot_data.store
    esc = await store.ledger.escalation(int_at(items, 2) or 0)
    if esc is None:
        await stale(update, context)
        return
    if esc.member_id != user.id:
        await not_for_you(update, context)
        return
    lang = await language_for(update, context)
    app = _app(context)
    if verb == "cy":
        if not await store.ledger.move(esc.id, ("asking",), "picking"):
            await stale(update, context)
            return
        refreshed = await store.ledger.escalation(esc.id)
        if refreshed is not None:
            if not await store.circle.persons(user.id):
                await store.ledger.move(esc.id, ("picking",), "declined")
                await show(update, context, text_of(context, lang, "circle.concern_no_persons"))
                await tell_admin(app, refreshed, "circle.concern_admin_nobody")
                return
            await picker(update, context, refreshed)
    elif verb == "cn" or (verb == "ex" and esc.kind == "admin"):
        if not await store.ledger.move(esc.id, escalation.OPEN_ADMIN, "declined"):
            await stale(update, context)
            return
        await show(update, context, text_of(context, lang, "circle.concern_you_said_no"))
        await tell_admin(app, esc, "circle.concern_admin_no")
    elif verb == "ct":
        if not await store.ledger.move(esc.id, escalation.OPEN_ADMIN, "talk"):
            await stale(update, context)
            return
        await show(update, context, text_of(context, lang, "circle.concern_you_said_talk"))
        await tell_admin(app, esc, "circle.concern_admin_talk")
    elif verb == "ex":
        if not await store.ledger.move(esc.id, ("picking",), "cancelled"):
            await stale(update, context)
            return
        await show(update, context, text_of(context, lang, "circle.support_cancelled"))
    elif verb == "ep":
        person_id = int_at(items, 3)
        person = await store.circle.person(person_id or 0)
        if esc.status != "picking" or person is None or person.member_id != user.id:
            await stale(update, context)
            return
        chosen = set(esc.persons)
        chosen.symmetric_difference_update({person.id})
        await store.ledger.set_persons(esc.id, sorted(chosen))
        refreshed = await store.ledger.escalation(esc.id)
        if refreshed is not None:
            await picker(update, context, refreshed)
    elif verb == "eok":
        if esc.status != "picking":
            await stale(update, context)
            return
        await approve(update, context, esc)
    else:
        await stale(update, context)


def handlers() -> list[BaseHandler[Update, Context, None]]:
    return [
        CommandHandler("supportnow", support_now, filters=PRIVATE),
        CommandHandler("concern", concern_group, filters=GROUPS),
        CommandHandler("concern", concern_private, filters=PRIVATE),
    ]


def jobs() -> dict[str, ActionHandler]:
    return {CONCERN_DUE: concern_due_job, ADVANCE_ENDS: advance_ends_job}
