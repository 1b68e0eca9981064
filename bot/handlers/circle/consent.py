"""/consent: what the member agreed to, withdrawn in one tap; and deciding in advance
(who, how long to wait for a live answer, until when, and their wishes)."""

from __future__ import annotations

from telegram import InlineKeyboardButton, Update

from bot.adapters.callbacks import Callback
from bot.adapters.keyboards import keyboard
from bot.circle import consent, guide
from bot.circle.callbacks import (
    ADVANCE,
    ADVANCE_NEXT,
    ADVANCE_PICK,
    ADVANCE_UNTIL,
    ADVANCE_WAIT,
    CANCEL,
    CONSENT_WITHDRAW,
    CONSENT_WITHDRAW_ALL,
)
from bot.circle.consent import AdvanceDecision
from bot.circle.disclosure import Place, describe
from bot.circle.texts import day, stamp
from bot.context import Context
from bot.errors import NotForYouError, StaleButtonError
from bot.handlers.circle.shared import answer_quietly, ask, btn, lang_of, person_of, show, t
from bot.i18n import Safe
from bot.people import zone_of


async def consent_view(update: Update, context: Context) -> None:
    user = person_of(update)
    data = context.bot_data
    found = await consent.overview(context.app, user.id)
    lang = await lang_of(update, context)
    zone = await zone_of(data, None)
    now = data.clock.epoch()
    active: list[str] = []
    rows: list[list[InlineKeyboardButton]] = []
    for held in found.active:
        entry = held.entry
        active.append(
            t(
                context,
                lang,
                "circle.consent_line",
                name=held.name,
                purpose=t(context, lang, f"circle.purpose_{held.purpose}"),
                until=day(entry.expires_at or now, zone, lang),
                minutes=entry.wait_minutes or consent.DEFAULT_WAIT_MINUTES,
            )
        )
        purpose = t(context, lang, f"circle.purpose_short_{held.purpose}")
        rows.append(
            [
                btn(
                    t(context, lang, "circle.btn_withdraw", name=held.name, purpose=purpose),
                    CONSENT_WITHDRAW,
                    entry.id,
                )
            ]
        )
    past = [
        t(
            context,
            lang,
            "circle.history_line",
            at=stamp(entry.created_at, zone, lang),
            name=name,
            purpose=t(context, lang, f"circle.purpose_short_{entry.purpose}"),
            event=t(context, lang, f"circle.event_{entry.event}"),
            scope=t(context, lang, f"circle.scope_{entry.scope}"),
        )
        for name, entry in found.history
    ]
    text = t(
        context,
        lang,
        "circle.consent_view",
        active=Safe("\n".join(active)) if active else t(context, lang, "circle.none"),
        history=Safe("\n".join(past)) if past else t(context, lang, "circle.none"),
    )
    wishes = [h.entry.wishes for h in found.active if h.purpose == "see" and h.entry.wishes]
    if wishes:
        text = Safe(text + "\n" + t(context, lang, "circle.consent_wishes", wishes=wishes[-1]))
    if active:
        rows.append([btn(t(context, lang, "circle.btn_withdraw_all"), CONSENT_WITHDRAW_ALL)])
    if found.has_persons:
        rows.append([btn(t(context, lang, "circle.btn_advance"), ADVANCE)])
    await show(update, context, text, keyboard(*rows) if rows else None)


async def consent_command(update: Update, context: Context) -> None:
    await consent_view(update, context)


async def on_consent(update: Update, context: Context, _pressed: Callback) -> None:
    await consent_view(update, context)


async def on_withdraw(update: Update, context: Context, pressed: Callback) -> None:
    await consent.withdraw(context.app, person_of(update).id, pressed.number(0))
    if update.callback_query is not None:
        lang = await lang_of(update, context)
        await answer_quietly(
            context, update.callback_query, str(t(context, lang, "circle.withdrawn_toast"))
        )
    await consent_view(update, context)


async def on_withdraw_all(update: Update, context: Context, _pressed: Callback) -> None:
    await consent.withdraw_all(context.app, person_of(update).id)
    await consent_view(update, context)


# -- deciding in advance ---------------------------------------------------------------------


async def advance_picker(update: Update, context: Context, chosen: list[int]) -> None:
    user = person_of(update)
    await guide.save(context.app, user.id, guide.ADVANCE_PICK, {"persons": chosen})
    lang = await lang_of(update, context)
    picked = set(chosen)
    rows = [
        [btn(f"{'✅' if p.id in picked else '▫️'} {p.name}", ADVANCE_PICK, p.id)]
        for p in await context.bot_data.store.circle.persons(user.id)
    ]
    rows.append(
        [
            btn(t(context, lang, "circle.btn_next"), ADVANCE_NEXT),
            btn(t(context, lang, "circle.btn_cancel"), CANCEL),
        ]
    )
    await show(update, context, t(context, lang, "circle.advance_intro"), keyboard(*rows))


async def on_advance(update: Update, context: Context, _pressed: Callback) -> None:
    await advance_picker(update, context, [])


async def on_advance_pick(update: Update, context: Context, pressed: Callback) -> None:
    user = person_of(update)
    draft = await guide.draft(context.app, user.id)
    person = await context.bot_data.store.circle.person(pressed.number(0))
    if draft is None or draft.state != guide.ADVANCE_PICK or person is None:
        raise StaleButtonError
    if person.member_id != user.id:
        raise NotForYouError
    picked = set(draft.data.get("persons", []))
    picked.symmetric_difference_update({person.id})
    await advance_picker(update, context, sorted(picked))


async def on_advance_next(update: Update, context: Context, _pressed: Callback) -> None:
    user = person_of(update)
    draft = await guide.draft_in(context.app, user.id, guide.ADVANCE_PICK)
    if not draft.data.get("persons"):
        raise StaleButtonError
    await guide.save(context.app, user.id, guide.ADVANCE_WAIT, draft.data)
    lang = await lang_of(update, context)
    rows = [
        [
            btn(t(context, lang, "circle.minutes", minutes=m), ADVANCE_WAIT, m)
            for m in consent.WAIT_CHOICES_MINUTES
        ]
    ]
    await show(update, context, t(context, lang, "circle.advance_wait"), keyboard(*rows))


async def on_advance_wait(update: Update, context: Context, pressed: Callback) -> None:
    user = person_of(update)
    draft = await guide.draft_in(context.app, user.id, guide.ADVANCE_WAIT)
    minutes = pressed.number(0)
    if minutes not in consent.WAIT_CHOICES_MINUTES:
        raise StaleButtonError
    await guide.save(
        context.app, user.id, guide.ADVANCE_EXPIRY, {**draft.data, "minutes": minutes}
    )
    lang = await lang_of(update, context)
    rows = [
        [
            btn(
                t(
                    context,
                    lang,
                    "circle.days_default" if d == consent.DEFAULT_ADVANCE_DAYS else "circle.days",
                    months=round(d / 30.4),
                ),
                ADVANCE_UNTIL,
                d,
            )
        ]
        for d in consent.ADVANCE_CHOICES_DAYS
    ]
    await show(update, context, t(context, lang, "circle.advance_expiry"), keyboard(*rows))


async def on_advance_until(update: Update, context: Context, pressed: Callback) -> None:
    user = person_of(update)
    draft = await guide.draft_in(context.app, user.id, guide.ADVANCE_EXPIRY)
    days = pressed.number(0)
    if days not in consent.ADVANCE_CHOICES_DAYS:
        raise StaleButtonError
    await ask(update, context, guide.ADVANCE_WISHES, {**draft.data, "days": days})


async def advance_saved(
    update: Update,
    context: Context,
    decision: AdvanceDecision,
    places: tuple[Place, ...] = (),
) -> None:
    """Saved — and for which groups' administrators (a group joined later does not count)."""
    zone = await zone_of(context.bot_data, None)
    lang = await lang_of(update, context)
    saved = t(
        context,
        lang,
        "circle.advance_saved",
        names=", ".join(decision.names),
        minutes=decision.minutes,
        until=day(decision.expires_at, zone, lang),
    )
    if places:
        groups = "\n".join(describe(context.bot_data.texts, lang, p, zone) for p in places)
        where = t(context, lang, "consent.advance_groups", groups=Safe(groups))
    else:
        where = t(context, lang, "consent.advance_no_group")
    await show(update, context, Safe(f"{saved}\n\n{where}"))
