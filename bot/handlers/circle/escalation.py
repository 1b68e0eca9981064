"""Escalation, only with consent: "I need support now", an administrator's /concern, and the
member's answers (yes and choose who, no, talk first; pick, send, cancel)."""

from __future__ import annotations

from telegram import InlineKeyboardButton, Update

from bot.adapters.callbacks import Callback
from bot.adapters.guards import is_anonymous_admin
from bot.adapters.keyboards import keyboard
from bot.adapters.replies import delete_quietly, reply
from bot.circle import concern, support_now
from bot.circle.callbacks import ADMIN_PICK, ADMINS, GROUP, PICK, PICK_CANCEL, PICK_DONE, PURPOSE
from bot.circle.disclosure import describe
from bot.circle.escalation import ADMIN, CONTACT, HELP, MEMBER, SEE, offered
from bot.context import Context
from bot.delivery import outbox
from bot.errors import StaleButtonError
from bot.groups import membership
from bot.handlers.circle.shared import answer_quietly, btn, lang_of, person_of, show, t
from bot.i18n import Safe
from bot.ids import parse_id
from bot.people import language_of, zone_of
from bot.records.circle import Escalation

# -- "I need support now" --------------------------------------------------------------------


async def support_now_command(update: Update, context: Context) -> None:
    user = person_of(update)
    lang = await lang_of(update, context)
    started = await support_now.start(context.app, user.id, user.first_name)
    if update.callback_query is not None:
        await answer_quietly(context, update.callback_query)
    if started is None:
        await reply(
            update,
            context,
            "circle.support_nobody_named",
            kind="support_now",
            lines=await support_now.crisis_lines(context.bot_data, lang, user.id),
        )
        return
    await picker(update, context, started, new_message=True)


async def on_support_now(update: Update, context: Context, _pressed: Callback) -> None:
    await support_now_command(update, context)


PURPOSE_ORDER = (HELP, SEE, CONTACT)


async def picker(
    update: Update, context: Context, escalation: Escalation, *, new_message: bool = False
) -> None:
    """The member ticks who to reach and what may happen for each (toggle buttons), which
    group's administrators (by name and what a lookalike cannot copy), then sends."""
    lang = await lang_of(update, context)
    app = context.app
    rows: list[list[InlineKeyboardButton]] = []
    for person in await context.bot_data.store.circle.persons(escalation.member_id):
        mark = "✅" if person.id in escalation.persons else "▫️"
        how = t(context, lang, "circle.via_telegram" if person.on_telegram else "circle.via_phone")
        rows.append([btn(f"{mark} {person.name} ({how})", PICK, escalation.id, person.id)])
        if person.id not in escalation.persons:
            continue
        ticks = escalation.purposes_of(person.id)
        rows.append(
            [
                btn(
                    ("☑️ " if purpose in ticks else "⬜ ")
                    + t(context, lang, f"consent.tick_{purpose}"),
                    PURPOSE,
                    escalation.id,
                    person.id,
                    PURPOSE_ORDER.index(purpose),
                )
                for purpose in offered(
                    on_telegram=person.on_telegram,
                    has_phone=person.has_phone,
                    kind=escalation.kind,
                )
            ]
        )
    key = "circle.pick_member" if escalation.kind == MEMBER else "circle.pick_concern"
    text = t(context, lang, key)
    zone = await zone_of(context.bot_data, escalation.chat_id)
    if escalation.kind == MEMBER:
        found = await support_now.places(app, escalation.member_id)
        if not found:
            where = t(context, lang, "consent.no_group")
        elif len(found) == 1 and escalation.chat_chosen:
            where = t(
                context,
                lang,
                "consent.group_only",
                group=describe(context.bot_data.texts, lang, found[0], zone),
            )
        else:
            lines = [
                f"{number}. "
                + ("🔘 " if escalation.chat_chosen and p.chat_id == escalation.chat_id else "⚪ ")
                + describe(context.bot_data.texts, lang, p, zone)
                for number, p in enumerate(found, start=1)
            ]
            where = t(context, lang, "consent.group_many", lines=Safe("\n".join(lines)))
            for number, found_place in enumerate(found, start=1):
                chosen = escalation.chat_chosen and found_place.chat_id == escalation.chat_id
                rows.append(
                    [
                        btn(
                            f"{'🔘' if chosen else '⚪'} {number}. {found_place.title}",
                            GROUP,
                            escalation.id,
                            found_place.chat_id,
                        )
                    ]
                )
        if escalation.chat_chosen:
            who = (
                t(context, lang, "consent.admin_named", admin=escalation.admin_name or "?")
                if escalation.admin_chosen
                else t(context, lang, "consent.admin_any")
            )
            where = Safe(f"{where}\n{who}")
            rows.append([btn(t(context, lang, "consent.btn_choose_admin"), ADMINS, escalation.id)])
        text = Safe(f"{text}\n\n{where}")
    rows.append(
        [
            btn(t(context, lang, "circle.btn_send"), PICK_DONE, escalation.id),
            btn(t(context, lang, "circle.btn_cancel"), PICK_CANCEL, escalation.id),
        ]
    )
    if new_message and update.effective_chat is not None:
        await outbox.send_critical(
            context.app,
            update.effective_chat.id,
            text,
            kind="support_now",
            reply_markup=keyboard(*rows),
        )
        return
    await show(update, context, text, keyboard(*rows))


async def _own(update: Update, context: Context, pressed: Callback) -> Escalation:
    return await support_now.own_escalation(context.app, pressed.number(0), person_of(update).id)


async def on_pick(update: Update, context: Context, pressed: Callback) -> None:
    escalation = await _own(update, context, pressed)
    refreshed = await support_now.toggle(context.app, escalation, pressed.number(1))
    await picker(update, context, refreshed)


async def on_purpose(update: Update, context: Context, pressed: Callback) -> None:
    escalation = await _own(update, context, pressed)
    index = pressed.number(2)
    if not 0 <= index < len(PURPOSE_ORDER):
        raise StaleButtonError
    refreshed = await support_now.toggle_purpose(
        context.app, escalation, pressed.number(1), PURPOSE_ORDER[index]
    )
    await picker(update, context, refreshed)


async def on_group(update: Update, context: Context, pressed: Callback) -> None:
    escalation = await _own(update, context, pressed)
    refreshed = await support_now.choose_group(context.app, escalation, pressed.number(1))
    await picker(update, context, refreshed)


async def on_admins(update: Update, context: Context, pressed: Callback) -> None:
    """The administrators of the chosen group the member may name (on duty marked)."""
    escalation = await _own(update, context, pressed)
    lang = await lang_of(update, context)
    found = await support_now.admins_to_choose(context.app, escalation)
    rows = [
        [
            btn(
                t(context, lang, "consent.btn_admin_duty", admin=name) if duty else name,
                ADMIN_PICK,
                escalation.id,
                admin_id,
            )
        ]
        for admin_id, name, duty in found
    ]
    rows.append([btn(t(context, lang, "consent.btn_admin_any"), ADMIN_PICK, escalation.id, 0)])
    key = "consent.choose_admin" if found else "consent.choose_admin_none"
    await show(update, context, t(context, lang, key), keyboard(*rows))


async def on_admin_pick(update: Update, context: Context, pressed: Callback) -> None:
    escalation = await _own(update, context, pressed)
    refreshed = await support_now.choose_admin(context.app, escalation, pressed.number(1))
    await picker(update, context, refreshed)


async def on_follow_up(update: Update, context: Context, pressed: Callback) -> None:
    """After a help text could not be delivered: the member is asked (never assumed) whether
    an administrator may phone that person — a fresh request, pre-ticked, to review and send."""
    escalation = await _own(update, context, pressed)
    fresh = await support_now.follow_up(context.app, escalation)
    if update.callback_query is not None:
        await answer_quietly(context, update.callback_query)
    await picker(update, context, fresh, new_message=True)


async def on_pick_done(update: Update, context: Context, pressed: Callback) -> None:
    escalation = await _own(update, context, pressed)
    approved = await support_now.approve(context.app, escalation)
    lang = await lang_of(update, context)
    await show(update, context, t(context, lang, "circle.reaching"))
    await support_now.reach(context.app, approved, lang)


async def on_pick_cancel(update: Update, context: Context, pressed: Callback) -> None:
    escalation = await _own(update, context, pressed)
    if escalation.kind == ADMIN:
        await _refused(update, context, escalation)
        return
    await support_now.cancel(context.app, escalation)
    lang = await lang_of(update, context)
    await show(update, context, t(context, lang, "circle.support_cancelled"))


# -- the member's answer to a concern --------------------------------------------------------


async def on_approve(update: Update, context: Context, pressed: Callback) -> None:
    escalation = await _own(update, context, pressed)
    picking = await concern.approve(context.app, escalation)
    if picking is None:
        lang = await lang_of(update, context)
        await show(update, context, t(context, lang, "circle.concern_no_persons"))
        return
    await picker(update, context, picking)


async def on_refuse(update: Update, context: Context, pressed: Callback) -> None:
    await _refused(update, context, await _own(update, context, pressed))


async def _refused(update: Update, context: Context, escalation: Escalation) -> None:
    await concern.refuse(context.app, escalation)
    lang = await lang_of(update, context)
    await show(update, context, t(context, lang, "circle.concern_you_said_no"))


async def on_talk_first(update: Update, context: Context, pressed: Callback) -> None:
    await concern.talk_first(context.app, await _own(update, context, pressed))
    lang = await lang_of(update, context)
    await show(update, context, t(context, lang, "circle.concern_you_said_talk"))


# -- an administrator's /concern -------------------------------------------------------------


async def concern_in_group(update: Update, context: Context) -> None:
    """``/concern`` as a reply in the group: deleted at once, whoever sent it — the group never
    sees that a concern was raised; the administrator is answered privately."""
    message = update.effective_message
    chat = update.effective_chat
    if message is None or chat is None:
        return
    await delete_quietly(context.app, chat.id, message.message_id)
    data = context.bot_data
    sender = message.from_user
    if is_anonymous_admin(message):
        await concern.anonymous_note(context.app, chat.id)
        return
    if sender is None:
        return
    lang = await language_of(data, sender.id)
    if not await data.admins.is_admin(context.bot, chat.id, sender.id, fresh=True):
        await outbox.send_critical(
            context.app, sender.id, t(context, lang, "common.admins_only"), kind="answer"
        )
        return
    target = message.reply_to_message.from_user if message.reply_to_message else None
    if target is None or target.is_bot or target.id == sender.id:
        await outbox.send_critical(
            context.app, sender.id, t(context, lang, "circle.concern_usage"), kind="answer"
        )
        return
    # The member is asked in their own language: remember it (an old message says nothing
    # about whether they are still in the group, so no membership is recorded).
    await membership.met(data, target.id, target.language_code)
    await _raise(context, chat.id, sender.id, sender.first_name, target.id)


async def concern_private(update: Update, context: Context) -> None:
    """``/concern <member id>`` privately, by an administrator of one of the member's groups
    (asked live, so members who were there before the bot count too)."""
    user = person_of(update)
    member_id = parse_id(context.args[0]) if context.args else None
    if member_id is None or member_id == user.id:
        await reply(update, context, "circle.concern_usage")
        return
    raised = await concern.raise_privately(context.app, user.id, user.first_name, member_id)
    await _answer_admin(context, user.id, raised)


async def _raise(
    context: Context, chat_id: int, admin_id: int, admin_name: str, member_id: int
) -> None:
    raised = await concern.raise_concern(context.app, chat_id, admin_id, admin_name, member_id)
    await _answer_admin(context, admin_id, raised)


ANSWERS = {
    concern.ASKED: "circle.concern_asked",
    concern.PENDING: "circle.concern_pending",
    concern.TOO_MANY: "consent.concern_too_many",
    concern.NOT_ADMIN: "circle.concern_not_admin",
}


async def _answer_admin(context: Context, admin_id: int, raised: concern.Raised) -> None:
    data = context.bot_data
    lang = await language_of(data, admin_id)
    await outbox.send_critical(
        context.app, admin_id, t(context, lang, ANSWERS[raised.outcome]), kind="answer"
    )
