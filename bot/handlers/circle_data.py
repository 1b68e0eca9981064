"""/consent (see and withdraw in one tap, decide in advance), /mydata and /forgetme."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.ext import BaseHandler, CommandHandler, filters

from bot.adapters.replies import send_private
from bot.circle import consent, disclosure
from bot.circle import data as data_rights
from bot.circle.escalation import ADVANCE_ENDS
from bot.circle.texts import day, stamp
from bot.context import Context
from bot.handlers.common import language_for, reply, text_of
from bot.i18n import Safe
from bot.people import zone_of

if TYPE_CHECKING:
    from bot.context import App

PRIVATE = filters.ChatType.PRIVATE


def _app(context: Context) -> App:
    return context.application  # type: ignore[return-value]


# -- /consent --------------------------------------------------------------------------------


async def consent_command(update: Update, context: Context) -> None:
    user = update.effective_user
    if user is not None:
        await context.bot_data.store.users.seen_private(user.id, user.language_code)
    await consent_view(update, context)


async def consent_view(update: Update, context: Context) -> None:
    from bot.handlers.circle import show

    user = update.effective_user
    if user is None:
        return
    data = context.bot_data
    store = data.store
    await disclosure.expire(_app(context), user.id)
    lang = await language_for(update, context)
    zone = await zone_of(data, None)
    now = data.clock.epoch()
    names = {p.id: p.name for p in await store.circle.persons(user.id)}
    active: list[str] = []
    rows: list[list[InlineKeyboardButton]] = []
    for person_id, name in names.items():
        for purpose in ("see", "contact", "help"):
            entry = await store.ledger.latest(user.id, person_id, purpose, "advance", None)
            if not consent.is_valid(entry, now) or entry is None:
                continue
            active.append(
                text_of(
                    context,
                    lang,
                    "circle.consent_line",
                    name=name,
                    purpose=text_of(context, lang, f"circle.purpose_{purpose}"),
                    until=day(entry.expires_at or now, zone, lang),
                    minutes=entry.wait_minutes or consent.DEFAULT_WAIT_MINUTES,
                )
            )
            rows.append(
                [
                    InlineKeyboardButton(
                        text_of(
                            context,
                            lang,
                            "circle.btn_withdraw",
                            name=name,
                            purpose=text_of(context, lang, f"circle.purpose_short_{purpose}"),
                        ),
                        callback_data=f"circle:cw:{entry.id}",
                    )
                ]
            )
    wishes = None
    for person_id in names:
        entry = await store.ledger.latest(user.id, person_id, "see", "advance", None)
        if consent.is_valid(entry, now) and entry is not None and entry.wishes:
            wishes = entry.wishes
    history = (await store.ledger.history(user.id))[-8:]
    past = [
        text_of(
            context,
            lang,
            "circle.history_line",
            at=stamp(entry.created_at, zone, lang),
            name=names.get(entry.person_id, "—"),
            purpose=text_of(context, lang, f"circle.purpose_short_{entry.purpose}"),
            event=text_of(context, lang, f"circle.event_{entry.event}"),
            scope=text_of(context, lang, f"circle.scope_{entry.scope}"),
        )
        for entry in history
    ]
    text = text_of(
        context,
        lang,
        "circle.consent_view",
        active=Safe("\n".join(active)) if active else text_of(context, lang, "circle.none"),
        history=Safe("\n".join(past)) if past else text_of(context, lang, "circle.none"),
    )
    if wishes:
        text = Safe(text + "\n" + text_of(context, lang, "circle.consent_wishes", wishes=wishes))
    if active:
        rows.append(
            [
                InlineKeyboardButton(
                    text_of(context, lang, "circle.btn_withdraw_all"), callback_data="circle:cwa"
                )
            ]
        )
    if names:
        rows.append(
            [
                InlineKeyboardButton(
                    text_of(context, lang, "circle.btn_advance"), callback_data="circle:adv"
                )
            ]
        )
    await show(update, context, text, InlineKeyboardMarkup(rows) if rows else None)


async def withdraw(update: Update, context: Context, consent_id: int | None) -> None:
    from bot.handlers.circle import answer_quietly, not_for_you, stale

    user = update.effective_user
    if user is None or consent_id is None:
        await stale(update, context)
        return
    data = context.bot_data
    ledger = data.store.ledger
    entry = await ledger.consent(consent_id)
    if entry is None:
        await stale(update, context)
        return
    if entry.member_id != user.id:
        await not_for_you(update, context)
        return
    latest = await ledger.latest(
        user.id, entry.person_id, entry.purpose, entry.scope, entry.escalation_id
    )
    if latest is None or latest.id != entry.id or not consent.is_valid(entry, data.clock.epoch()):
        await stale(update, context)
        return
    await ledger.append(
        user.id,
        entry.person_id,
        entry.purpose,
        scope=entry.scope,
        event="withdrawn",
        escalation_id=entry.escalation_id,
    )
    if update.callback_query is not None:
        lang = await language_for(update, context)
        await answer_quietly(
            update.callback_query, str(text_of(context, lang, "circle.withdrawn_toast"))
        )
    await consent_view(update, context)


async def withdraw_all(update: Update, context: Context) -> None:
    user = update.effective_user
    if user is None:
        return
    data = context.bot_data
    store = data.store
    now = data.clock.epoch()
    for person in await store.circle.persons(user.id):
        for purpose in ("see", "contact", "help"):
            entry = await store.ledger.latest(user.id, person.id, purpose, "advance", None)
            if consent.is_valid(entry, now):
                await store.ledger.append(
                    user.id, person.id, purpose, scope="advance", event="withdrawn"
                )
    await consent_view(update, context)


# -- deciding in advance ---------------------------------------------------------------------


async def advance_picker(update: Update, context: Context, data: dict[str, Any]) -> None:
    from bot.handlers.circle import show

    user = update.effective_user
    if user is None:
        return
    store = context.bot_data.store
    await store.circle.save_draft(user.id, "adv:pick", data)
    lang = await language_for(update, context)
    chosen = set(data.get("persons", []))
    rows = [
        [
            InlineKeyboardButton(
                f"{'✅' if p.id in chosen else '▫️'} {p.name}", callback_data=f"circle:ap:{p.id}"
            )
        ]
        for p in await store.circle.persons(user.id)
    ]
    rows.append(
        [
            InlineKeyboardButton(
                text_of(context, lang, "circle.btn_next"), callback_data="circle:aok"
            ),
            InlineKeyboardButton(
                text_of(context, lang, "circle.btn_cancel"), callback_data="circle:cancel"
            ),
        ]
    )
    await show(
        update, context, text_of(context, lang, "circle.advance_intro"), InlineKeyboardMarkup(rows)
    )


async def finish_advance(
    update: Update, context: Context, data: dict[str, Any], wishes: str | None
) -> None:
    """Write the advance decision: one ledger entry per person and purpose, with its expiry."""
    user = update.effective_user
    if user is None:
        return
    bot_data = context.bot_data
    store = bot_data.store
    now = bot_data.clock.epoch()
    chosen = {int(pid) for pid in data.get("persons", [])}
    days = int(data.get("days", consent.DEFAULT_ADVANCE_DAYS))
    minutes = int(data.get("minutes", consent.DEFAULT_WAIT_MINUTES))
    expires = now + days * 86400
    own = {p.id: p for p in await store.circle.persons(user.id)}
    for person_id in own:
        for purpose in ("see", "contact", "help"):
            if person_id in chosen:
                await store.ledger.append(
                    user.id,
                    person_id,
                    purpose,
                    scope="advance",
                    event="given",
                    expires_at=expires,
                    wait_minutes=minutes,
                    wishes=wishes,
                )
            elif consent.is_valid(
                await store.ledger.latest(user.id, person_id, purpose, "advance", None), now
            ):
                await store.ledger.append(
                    user.id, person_id, purpose, scope="advance", event="withdrawn"
                )
    await store.circle.drop_draft(user.id)
    if chosen:
        await bot_data.scheduler.schedule(
            _app(context),
            ADVANCE_ENDS,
            expires,
            user_id=user.id,
            dedupe_key=f"{ADVANCE_ENDS}:{user.id}",
        )
    zone = await zone_of(bot_data, None)
    lang = await language_for(update, context)
    await reply(
        update,
        context,
        "circle.advance_saved",
        names=", ".join(own[p].name for p in sorted(chosen) if p in own),
        minutes=minutes,
        until=day(expires, zone, lang),
    )


# -- /mydata and /forgetme -------------------------------------------------------------------


async def mydata(update: Update, context: Context) -> None:
    """Everything held about the person asking — never anyone else (no arguments accepted)."""
    user = update.effective_user
    chat = update.effective_chat
    if user is None or chat is None:
        return
    data = context.bot_data
    await data.store.users.seen_private(user.id, user.language_code)
    exported = await data_rights.export(data, user.id)
    payload = json.dumps(exported, ensure_ascii=False, indent=2).encode()
    lang = await language_for(update, context)
    await context.bot.send_document(
        chat.id,
        InputFile(payload, filename="pamoja-my-data.json"),
        caption=text_of(
            context, lang, "circle.mydata_caption", disclosures=len(exported["disclosures"])
        ),
    )


async def forgetme(update: Update, context: Context) -> None:
    lang = await language_for(update, context)
    await reply(
        update,
        context,
        "circle.forget_confirm",
        reply_markup=InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        text_of(context, lang, "circle.btn_forget_tell"),
                        callback_data="circle:fy:1",
                    )
                ],
                [
                    InlineKeyboardButton(
                        text_of(context, lang, "circle.btn_forget_quiet"),
                        callback_data="circle:fy:0",
                    )
                ],
                [
                    InlineKeyboardButton(
                        text_of(context, lang, "circle.btn_keep"), callback_data="circle:fn"
                    )
                ],
            ]
        ),
    )


async def erase(update: Update, context: Context, tell: bool) -> None:
    from bot.handlers.circle import show

    user = update.effective_user
    if user is None:
        return
    data = context.bot_data
    store = data.store
    profile = await store.circle.profile(user.id)
    supporters = [
        p.tg_user_id for p in await store.circle.persons(user.id) if p.on_telegram and p.tg_user_id
    ]
    await data_rights.erase(data, user.id)
    lang = await language_for(update, context)
    await show(update, context, text_of(context, lang, "circle.forgotten"))
    if tell:
        from bot.people import language_of

        for person_id in supporters:
            person_lang = await language_of(data, person_id)
            await send_private(
                context.bot,
                data,
                person_id,
                text_of(
                    context,
                    person_lang,
                    "circle.no_longer_listed",
                    member=profile.display_name
                    or text_of(context, person_lang, "circle.a_member"),
                ),
            )


# -- buttons ---------------------------------------------------------------------------------


async def on_button(update: Update, context: Context) -> None:
    from bot.handlers.circle import int_at, not_for_you, parts, show, stale

    query = update.callback_query
    user = update.effective_user
    if query is None or user is None:
        return
    if query.message is not None and query.message.chat.id != user.id:
        await not_for_you(update, context)
        return
    items = parts(query)
    verb = items[1]
    store = context.bot_data.store
    draft = await store.circle.draft(user.id)
    lang = await language_for(update, context)
    if verb == "cw":
        await withdraw(update, context, int_at(items, 2))
    elif verb == "cwa":
        await withdraw_all(update, context)
    elif verb == "adv":
        await advance_picker(update, context, {"persons": []})
    elif verb == "ap":
        person_id = int_at(items, 2)
        person = await store.circle.person(person_id or 0)
        if draft is None or draft.state != "adv:pick" or person is None:
            await stale(update, context)
            return
        if person.member_id != user.id:
            await not_for_you(update, context)
            return
        chosen = set(draft.data.get("persons", []))
        chosen.symmetric_difference_update({person.id})
        await advance_picker(update, context, {"persons": sorted(chosen)})
    elif verb == "aok":
        if draft is None or draft.state != "adv:pick" or not draft.data.get("persons"):
            await stale(update, context)
            return
        await store.circle.save_draft(user.id, "adv:wait", draft.data)
        rows = [
            [
                InlineKeyboardButton(
                    text_of(context, lang, "circle.minutes", minutes=m),
                    callback_data=f"circle:aw:{m}",
                )
                for m in consent.WAIT_CHOICES_MINUTES
            ]
        ]
        await show(
            update,
            context,
            text_of(context, lang, "circle.advance_wait"),
            InlineKeyboardMarkup(rows),
        )
    elif verb == "aw":
        minutes = int_at(items, 2)
        if (
            draft is None
            or draft.state != "adv:wait"
            or minutes not in consent.WAIT_CHOICES_MINUTES
        ):
            await stale(update, context)
            return
        await store.circle.save_draft(user.id, "adv:expiry", {**draft.data, "minutes": minutes})
        rows = [
            [
                InlineKeyboardButton(
                    text_of(
                        context,
                        lang,
                        "circle.days_default"
                        if d == consent.DEFAULT_ADVANCE_DAYS
                        else "circle.days",
                        months=round(d / 30.4),
                    ),
                    callback_data=f"circle:ax:{d}",
                )
            ]
            for d in consent.ADVANCE_CHOICES_DAYS
        ]
        await show(
            update,
            context,
            text_of(context, lang, "circle.advance_expiry"),
            InlineKeyboardMarkup(rows),
        )
    elif verb == "ax":
        days = int_at(items, 2)
        if (
            draft is None
            or draft.state != "adv:expiry"
            or days not in consent.ADVANCE_CHOICES_DAYS
        ):
            await stale(update, context)
            return
        from bot.handlers.circle import ask

        await ask(update, context, "adv:wishes", {**draft.data, "days": days})
    elif verb == "fy":
        await erase(update, context, items[-1] == "1")
    elif verb == "fn":
        await show(update, context, text_of(context, lang, "circle.forget_kept"))
    else:
        await stale(update, context)


def handlers() -> list[BaseHandler[Update, Context, None]]:
    return [
        CommandHandler("consent", consent_command, filters=PRIVATE),
        CommandHandler("mydata", mydata, filters=PRIVATE),
        CommandHandler("forgetme", forgetme, filters=PRIVATE),
    ]
