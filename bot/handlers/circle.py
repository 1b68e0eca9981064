"""/mycircle: support persons, the never-contact list, the help text, invites and /stepdown.

Private chat only. A guided conversation asks one question at a time; its state is a draft in
the database, so it can be cancelled at any step and picked up again later (even after a
restart). Every button re-checks who is pressing and the current state in the database.
"""

from __future__ import annotations

import contextlib
import secrets
from typing import Any

from telegram import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
)
from telegram.error import TelegramError
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.adapters.menus import MenuEntry
from bot.adapters.replies import edit_quietly
from bot.circle import phone as phones
from bot.circle.outbox import KIND as OUTBOX_KIND
from bot.circle.outbox import outbox_job, send_critical
from bot.context import Context
from bot.handlers import circle_data, circle_escalation, talk_relay, talk_shared
from bot.handlers.common import (
    language_for,
    private_chat_button,
    reply,
    text_of,
    user_language,
)
from bot.handlers.feature import Feature
from bot.i18n import Safe
from bot.people import language_of
from bot.records.circle import SupportPerson
from bot.scheduler import ActionHandler

PRIVATE = filters.ChatType.PRIVATE
GROUPS = filters.ChatType.GROUPS

MAX_PERSONS = 3
INVITE_SECONDS = 72 * 3600
INVITE_PREFIX = "c-"
MAX_TEXT = 1000
# A text counts as the answer to a pending question only this soon after it was asked; an
# abandoned conversation is picked up again from /mycircle ("Continue where I left off").
ANSWER_WINDOW = 30 * 60

MENU: tuple[MenuEntry, ...] = (
    MenuEntry("mycircle", private=True),
    MenuEntry("supportnow", private=True),
    MenuEntry("consent", private=True),
    MenuEntry("mydata", private=True),
    MenuEntry("forgetme", private=True),
    MenuEntry("stepdown", private=True),
)

# The guided conversation: each state asks one question; ``None`` means "no next question".
ADD_STEPS = ("add:name", "add:relationship", "add:phone", "add:notes", "add:asked")
QUESTION = {
    "add:name": "circle.ask_name",
    "add:relationship": "circle.ask_relationship",
    "add:phone": "circle.ask_phone",
    "add:notes": "circle.ask_notes",
    "add:asked": "circle.ask_asked",
    "edit:name": "circle.ask_name",
    "edit:relationship": "circle.ask_relationship",
    "edit:phone": "circle.ask_phone",
    "edit:notes": "circle.ask_notes",
    "never:name": "circle.ask_never_name",
    "never:relationship": "circle.ask_relationship",
    "help:text": "circle.ask_help",
    "adv:wishes": "circle.ask_wishes",
}
SKIPPABLE = {"add:relationship", "add:phone", "add:notes", "never:relationship", "adv:wishes"}


async def talk_busy(context: Context, user_id: int) -> bool:
    """The person is in a one-to-one conversation, or the talk feature awaits their words."""
    if context.user_data is not None and isinstance(
        context.user_data.get(talk_shared.AWAITING), dict
    ):
        return True
    return await context.bot_data.store.talk.active_for(user_id) is not None


def can_skip(state: str) -> bool:
    """Every answer is optional except a name (and the help text itself)."""
    if state.startswith("edit:"):
        return not state.endswith(":name")
    return state in SKIPPABLE


def button(label: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=data)


def markup(*rows: list[InlineKeyboardButton]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([row for row in rows if row])


async def answer_alert(update: Update, context: Context, key: str) -> None:
    query = update.callback_query
    if query is None:
        return
    lang = await language_for(update, context)
    await query.answer(str(text_of(context, lang, key))[:190], show_alert=True)


async def stale(update: Update, context: Context) -> None:
    await answer_alert(update, context, "common.stale")


async def not_for_you(update: Update, context: Context) -> None:
    await answer_alert(update, context, "common.not_for_you")


async def show(
    update: Update, context: Context, text: str, keyboard: InlineKeyboardMarkup | None = None
) -> None:
    """Answer a button by replacing its message; answer a message with a new one."""
    query = update.callback_query
    if query is not None and query.message is not None:
        await answer_quietly(query)
        changed = await edit_quietly(
            context.bot,
            query.message.chat.id,
            query.message.message_id,
            text,
            reply_markup=keyboard,
        )
        if changed:
            return
    chat = update.effective_chat
    if chat is not None:
        await context.bot.send_message(chat.id, text, reply_markup=keyboard)


async def answer_quietly(query: CallbackQuery, text: str | None = None) -> None:
    """Answer a button press once; a second answer (already answered) is harmless."""
    with contextlib.suppress(TelegramError):
        await query.answer(text)


def parts(query: CallbackQuery) -> list[str]:
    return (query.data or "").split(":")


def int_at(items: list[str], index: int) -> int | None:
    try:
        return int(items[index])
    except (IndexError, ValueError):
        return None


async def own_person(
    context: Context, user_id: int, person_id: int | None
) -> SupportPerson | None:
    """The member's own support person, or ``None`` (someone else's, removed, forged)."""
    if person_id is None:
        return None
    person = await context.bot_data.store.circle.person(person_id)
    if person is None or person.member_id != user_id:
        return None
    return person


def status_text(context: Context, lang: str, person: SupportPerson) -> str:
    key = f"circle.tg_{person.tg_status}"
    parts_ = [text_of(context, lang, key)]
    if person.asked:
        parts_.append(text_of(context, lang, "circle.asked_yes"))
    return ", ".join(parts_)


# -- /mycircle ------------------------------------------------------------------------------


async def mycircle_group(update: Update, context: Context) -> None:
    lang = await user_language(context, update.effective_user)
    await reply(
        update, context, "circle.group_pointer", reply_markup=private_chat_button(context, lang)
    )


async def mycircle(update: Update, context: Context) -> None:
    user = update.effective_user
    if user is None:
        return
    store = context.bot_data.store
    await store.users.seen_private(user.id, user.language_code)
    await store.circle.set_display_name(user.id, user.first_name)
    await home(update, context)


async def home(update: Update, context: Context) -> None:
    user = update.effective_user
    if user is None:
        return
    store = context.bot_data.store
    lang = await language_for(update, context)
    persons = await store.circle.persons(user.id)
    never = await store.circle.never(user.id)
    profile = await store.circle.profile(user.id)
    draft = await store.circle.draft(user.id)
    lines = [
        text_of(
            context,
            lang,
            "circle.person_line",
            name=p.name,
            relationship=p.relationship or "—",
            status=status_text(context, lang, p),
        )
        for p in persons
    ]
    text = text_of(
        context,
        lang,
        "circle.overview",
        persons=Safe("\n".join(lines)) if lines else text_of(context, lang, "circle.no_persons"),
        count=len(persons),
        never=len(never),
        help=text_of(
            context, lang, "circle.help_set" if profile.help_text else "circle.help_unset"
        ),
    )
    rows: list[list[InlineKeyboardButton]] = []
    if draft is not None:
        rows.append([button(text_of(context, lang, "circle.btn_resume"), "circle:resume")])
    rows.extend([button(p.name, f"circle:p:{p.id}")] for p in persons)
    if len(persons) < MAX_PERSONS:
        rows.append([button(text_of(context, lang, "circle.btn_add"), "circle:add")])
    rows.append(
        [
            button(text_of(context, lang, "circle.btn_never"), "circle:nv"),
            button(text_of(context, lang, "circle.btn_help"), "circle:h"),
        ]
    )
    rows.append(
        [
            button(text_of(context, lang, "circle.btn_consent"), "circle:cs"),
            button(text_of(context, lang, "circle.btn_support_now"), "circle:sn"),
        ]
    )
    await show(update, context, text, InlineKeyboardMarkup(rows))


async def person_view(update: Update, context: Context, person: SupportPerson) -> None:
    lang = await language_for(update, context)
    none = text_of(context, lang, "circle.none")
    text = text_of(
        context,
        lang,
        "circle.person_view",
        name=person.name,
        relationship=person.relationship or none,
        phone=person.phone or none,
        notes=person.notes or none,
        status=status_text(context, lang, person),
    )
    pid = person.id
    rows = [
        [
            button(text_of(context, lang, "circle.btn_edit_name"), f"circle:e:{pid}:name"),
            button(
                text_of(context, lang, "circle.btn_edit_relationship"),
                f"circle:e:{pid}:relationship",
            ),
        ],
        [
            button(text_of(context, lang, "circle.btn_edit_phone"), f"circle:e:{pid}:phone"),
            button(text_of(context, lang, "circle.btn_edit_notes"), f"circle:e:{pid}:notes"),
        ],
        [
            button(
                text_of(
                    context, lang, "circle.btn_asked_no" if person.asked else "circle.btn_asked"
                ),
                f"circle:k:{pid}",
            )
        ],
    ]
    if person.tg_status != "accepted":
        rows.append([button(text_of(context, lang, "circle.btn_invite"), f"circle:i:{pid}")])
    rows.append([button(text_of(context, lang, "circle.btn_remove"), f"circle:r:{pid}")])
    rows.append([button(text_of(context, lang, "circle.btn_back"), "circle:home")])
    await show(update, context, text, InlineKeyboardMarkup(rows))


# -- the guided conversation ----------------------------------------------------------------


async def ask(update: Update, context: Context, state: str, data: dict[str, Any]) -> None:
    """Save where we are, then ask that one question (with Skip where allowed, and Cancel)."""
    user = update.effective_user
    if user is None:
        return
    await context.bot_data.store.circle.save_draft(user.id, state, data)
    lang = await language_for(update, context)
    if state == "add:asked":
        keyboard = markup(
            [
                button(text_of(context, lang, "circle.btn_yes"), "circle:da:1"),
                button(text_of(context, lang, "circle.btn_not_yet"), "circle:da:0"),
            ],
            [button(text_of(context, lang, "circle.btn_cancel"), "circle:cancel")],
        )
    else:
        row = [button(text_of(context, lang, "circle.btn_cancel"), "circle:cancel")]
        if can_skip(state):
            row.insert(0, button(text_of(context, lang, "circle.btn_skip"), "circle:skip"))
        keyboard = markup(row)
    step = ""
    if state in ADD_STEPS:
        step = text_of(
            context, lang, "circle.step", n=ADD_STEPS.index(state) + 1, total=len(ADD_STEPS)
        )
    key = QUESTION[f"edit:{state.split(':')[-1]}" if state.startswith("edit:") else state]
    text = text_of(context, lang, key)
    if step:
        text = Safe(f"{step}\n{text}")
    await show(update, context, text, keyboard)


async def answer_text(update: Update, context: Context) -> None:
    """Private text: an answer to the guided conversation's question, else the usual hint."""
    user = update.effective_user
    message = update.effective_message
    if user is None or message is None or message.text is None:
        return
    store = context.bot_data.store
    draft = await store.circle.draft(user.id)
    fresh = (
        draft is not None and context.bot_data.clock.epoch() - draft.updated_at <= ANSWER_WINDOW
    )
    if draft is None or not fresh or await talk_busy(context, user.id):
        # Not an answer to a circle question: one-to-one contact (or the usual hint) takes it.
        await talk_relay.on_private_message(update, context)
        return
    text = message.text.strip()
    if not text or len(text) > MAX_TEXT:
        await reply(update, context, "circle.too_long", limit=MAX_TEXT)
        return
    await advance(update, context, draft.state, dict(draft.data), text)


async def advance(
    update: Update, context: Context, state: str, data: dict[str, Any], value: str | None
) -> None:
    """Take one answer (``None`` = skipped) and move to the next question or finish."""
    user = update.effective_user
    if user is None:
        return
    store = context.bot_data.store
    settings = context.bot_data.settings
    if state.endswith(":phone") and value is not None:
        try:
            value = phones.normalise(value, settings.default_country)
        except phones.InvalidPhoneError:
            await reply(update, context, "circle.bad_phone", country=settings.default_country)
            return
    if state == "add:name" or (state.startswith("edit:") and state.endswith(":name")):
        if value is None:
            return
        if await store.circle.is_never(user.id, value):
            await reply(update, context, "circle.name_on_never_list")
            return
    if state.startswith("add:"):
        field = state.split(":")[1]
        data[field] = value
        following = ADD_STEPS[ADD_STEPS.index(state) + 1]
        await ask(update, context, following, data)
        return
    if state.startswith("edit:"):
        _, pid_text, field = state.split(":")
        person = await own_person(context, user.id, int_at([pid_text], 0))
        await store.circle.drop_draft(user.id)
        if person is None:
            await reply(update, context, "circle.gone")
            return
        await store.circle.update_field(person.id, field, value)
        await reply(update, context, "circle.saved")
        refreshed = await store.circle.person(person.id)
        if refreshed is not None:
            await person_view(update, context, refreshed)
        return
    if state == "never:name":
        if value is None:
            return
        data["name"] = value
        await ask(update, context, "never:relationship", data)
        return
    if state == "never:relationship":
        await store.circle.add_never(user.id, str(data["name"]), value)
        await store.circle.drop_draft(user.id)
        await reply(update, context, "circle.never_saved")
        await never_view(update, context)
        return
    if state == "help:text":
        if value is None:
            return
        data["text"] = value
        await store.circle.save_draft(user.id, "help:preview", data)
        await help_preview(update, context, value)
        return
    if state == "adv:wishes":
        await circle_data.finish_advance(update, context, data, value)
        return
    await store.circle.drop_draft(user.id)


async def finish_add(update: Update, context: Context, data: dict[str, Any], asked: bool) -> None:
    user = update.effective_user
    if user is None:
        return
    store = context.bot_data.store
    await store.circle.drop_draft(user.id)
    if len(await store.circle.persons(user.id)) >= MAX_PERSONS:
        await reply(update, context, "circle.full", limit=MAX_PERSONS)
        return
    person_id = await store.circle.add_person(
        user.id,
        str(data.get("name") or ""),
        relationship=data.get("relationship"),
        phone=data.get("phone"),
        notes=data.get("notes"),
        asked=asked,
    )
    person = await store.circle.person(person_id)
    if person is not None:
        if update.callback_query is not None:
            lang = await language_for(update, context)
            await answer_quietly(
                update.callback_query,
                str(text_of(context, lang, "circle.added", name=person.name)),
            )
        await person_view(update, context, person)


# -- help text ------------------------------------------------------------------------------


async def help_view(update: Update, context: Context) -> None:
    user = update.effective_user
    if user is None:
        return
    lang = await language_for(update, context)
    profile = await context.bot_data.store.circle.profile(user.id)
    if profile.help_text:
        text = text_of(
            context,
            lang,
            "circle.help_current",
            preview=preview_of(
                context, lang, profile.display_name or user.first_name, profile.help_text
            ),
        )
        keyboard = markup(
            [button(text_of(context, lang, "circle.btn_help_write"), "circle:hw")],
            [button(text_of(context, lang, "circle.btn_help_delete"), "circle:hd")],
            [button(text_of(context, lang, "circle.btn_back"), "circle:home")],
        )
    else:
        text = text_of(context, lang, "circle.help_intro")
        keyboard = markup(
            [button(text_of(context, lang, "circle.btn_help_write"), "circle:hw")],
            [button(text_of(context, lang, "circle.btn_back"), "circle:home")],
        )
    await show(update, context, text, keyboard)


def preview_of(context: Context, lang: str, sender: str, help_text: str) -> Safe:
    """Exactly what a support person receives (the bot adds only who it is from)."""
    return text_of(context, lang, "circle.help_message", sender=sender, text=help_text)


async def help_preview(update: Update, context: Context, help_text: str) -> None:
    user = update.effective_user
    if user is None:
        return
    lang = await language_for(update, context)
    profile = await context.bot_data.store.circle.profile(user.id)
    text = text_of(
        context,
        lang,
        "circle.help_preview",
        preview=preview_of(context, lang, profile.display_name or user.first_name, help_text),
    )
    keyboard = markup(
        [button(text_of(context, lang, "circle.btn_help_save"), "circle:hs")],
        [
            button(text_of(context, lang, "circle.btn_help_rewrite"), "circle:hw"),
            button(text_of(context, lang, "circle.btn_cancel"), "circle:cancel"),
        ],
    )
    await show(update, context, text, keyboard)


# -- never contact --------------------------------------------------------------------------


async def never_view(update: Update, context: Context) -> None:
    user = update.effective_user
    if user is None:
        return
    lang = await language_for(update, context)
    entries = await context.bot_data.store.circle.never(user.id)
    lines = [
        text_of(
            context, lang, "circle.never_line", name=n.name, relationship=n.relationship or "—"
        )
        for n in entries
    ]
    text = text_of(
        context,
        lang,
        "circle.never_view",
        lines=Safe("\n".join(lines)) if lines else text_of(context, lang, "circle.none"),
    )
    rows = [
        [
            button(
                text_of(context, lang, "circle.btn_never_remove", name=n.name), f"circle:nr:{n.id}"
            )
        ]
        for n in entries
    ]
    rows.append([button(text_of(context, lang, "circle.btn_never_add"), "circle:na")])
    rows.append([button(text_of(context, lang, "circle.btn_back"), "circle:home")])
    await show(update, context, text, InlineKeyboardMarkup(rows))


# -- invites: the support person's own yes --------------------------------------------------


async def make_invite(update: Update, context: Context, person: SupportPerson) -> None:
    user = update.effective_user
    if user is None:
        return
    store = context.bot_data.store
    token = secrets.token_urlsafe(24)
    await store.circle.add_invite(
        person.id, user.id, token, context.bot_data.clock.epoch() + INVITE_SECONDS
    )
    await store.circle.set_display_name(user.id, user.first_name)
    if person.tg_status != "accepted":
        await store.circle.set_tg_status(person.id, "invited")
    link = f"https://t.me/{context.bot.username}?start={INVITE_PREFIX}{token}"
    lang = await language_for(update, context)
    await show(
        update,
        context,
        text_of(context, lang, "circle.invite_link", name=person.name, link=link, hours=72),
        markup([button(text_of(context, lang, "circle.btn_back"), f"circle:p:{person.id}")]),
    )


async def open_invite(update: Update, context: Context) -> None:
    """``/start c-<token>``: the invited person sees who asked them and what it means."""
    user = update.effective_user
    message = update.effective_message
    if user is None or message is None or not context.args:
        return
    data = context.bot_data
    store = data.store
    await store.users.seen_private(user.id, user.language_code)
    token = context.args[0].removeprefix(INVITE_PREFIX)
    invite = await store.circle.invite_by_token(token)
    if (
        invite is None
        or invite.member_id == user.id
        or invite.status != "open"
        or invite.expires_at <= data.clock.epoch()
        or not await store.circle.open_invite(invite.id, user.id)
    ):
        await reply(update, context, "circle.invite_invalid")
        return
    profile = await store.circle.profile(invite.member_id)
    lang = await language_for(update, context)
    await reply(
        update,
        context,
        "circle.invite_open",
        member=profile.display_name or text_of(context, lang, "circle.a_member"),
        reply_markup=markup(
            [button(text_of(context, lang, "circle.btn_accept"), f"circle:ia:{invite.id}")],
            [button(text_of(context, lang, "circle.btn_decline"), f"circle:id:{invite.id}")],
        ),
    )


async def answer_invite(
    update: Update, context: Context, invite_id: int | None, yes: bool
) -> None:
    user = update.effective_user
    if user is None or invite_id is None:
        await stale(update, context)
        return
    data = context.bot_data
    store = data.store
    invite = await store.circle.invite(invite_id)
    if invite is None or invite.status != "opened" or invite.expires_at <= data.clock.epoch():
        await stale(update, context)
        return
    if invite.opened_digest != store.circle.tg_digest(user.id):
        await not_for_you(update, context)
        return
    person = await store.circle.person(invite.person_id)
    if person is None or not await store.circle.answer_invite(
        invite.id, "accepted" if yes else "declined"
    ):
        await stale(update, context)
        return
    if yes:
        await store.circle.set_telegram(person.id, "accepted", user.id)
    else:
        await store.circle.set_tg_status(person.id, "declined")
    lang = await language_for(update, context)
    await show(
        update,
        context,
        text_of(context, lang, "circle.invite_accepted" if yes else "circle.invite_declined"),
    )
    member_lang = await language_of(data, invite.member_id)
    await send_critical(
        context.application,  # type: ignore[arg-type]
        invite.member_id,
        text_of(
            context,
            member_lang,
            "circle.member_accepted" if yes else "circle.member_declined",
            name=person.name,
        ),
        kind="consent_answer",
        member_id=invite.member_id,
    )


async def stepdown(update: Update, context: Context) -> None:
    user = update.effective_user
    if user is None:
        return
    store = context.bot_data.store
    await store.users.seen_private(user.id, user.language_code)
    entries = await store.circle.supporting(user.id)
    if not entries:
        await reply(update, context, "circle.stepdown_none")
        return
    lang = await language_for(update, context)
    rows = []
    for entry in entries:
        profile = await store.circle.profile(entry.member_id)
        rows.append(
            [
                button(
                    text_of(
                        context,
                        lang,
                        "circle.btn_stepdown",
                        member=profile.display_name or text_of(context, lang, "circle.a_member"),
                    ),
                    f"circle:sd:{entry.id}",
                )
            ]
        )
    await reply(update, context, "circle.stepdown_pick", reply_markup=InlineKeyboardMarkup(rows))


async def confirm_stepdown(update: Update, context: Context, person_id: int | None) -> None:
    user = update.effective_user
    if user is None or person_id is None:
        await stale(update, context)
        return
    data = context.bot_data
    store = data.store
    person = await store.circle.person(person_id)
    if person is None or person.tg_status != "accepted":
        await stale(update, context)
        return
    if person.tg_user_id != user.id:
        await not_for_you(update, context)
        return
    await store.circle.set_telegram(person.id, "stepped_down", None)
    lang = await language_for(update, context)
    await show(update, context, text_of(context, lang, "circle.stepdown_done"))
    member_lang = await language_of(data, person.member_id)
    await send_critical(
        context.application,  # type: ignore[arg-type]
        person.member_id,
        text_of(context, member_lang, "circle.member_stepped_down", name=person.name),
        kind="consent_answer",
        member_id=person.member_id,
    )


# -- buttons --------------------------------------------------------------------------------


async def on_button(update: Update, context: Context) -> None:
    query = update.callback_query
    user = update.effective_user
    if query is None or user is None:
        return
    items = parts(query)
    verb = items[1] if len(items) > 1 else ""
    store = context.bot_data.store
    if verb in ("ia", "id"):
        await answer_invite(update, context, int_at(items, 2), verb == "ia")
        return
    if verb == "sd":
        await confirm_stepdown(update, context, int_at(items, 2))
        return
    if query.message is not None and query.message.chat.id != user.id:
        await not_for_you(update, context)
        return
    draft = await store.circle.draft(user.id)
    if verb == "home":
        await home(update, context)
    elif verb == "cancel":
        await store.circle.drop_draft(user.id)
        lang = await language_for(update, context)
        await show(update, context, text_of(context, lang, "circle.cancelled"))
    elif verb == "resume":
        if draft is None or draft.state == "help:preview":
            if draft is not None:
                await help_preview(update, context, str(draft.data.get("text", "")))
                return
            await stale(update, context)
            return
        await ask(update, context, draft.state, draft.data)
    elif verb == "skip":
        if draft is None or not can_skip(draft.state):
            await stale(update, context)
            return
        await advance(update, context, draft.state, dict(draft.data), None)
    elif verb == "add":
        if len(await store.circle.persons(user.id)) >= MAX_PERSONS:
            await answer_alert(update, context, "circle.full_alert")
            return
        await ask(update, context, "add:name", {})
    elif verb == "da":
        if draft is None or draft.state != "add:asked":
            await stale(update, context)
            return
        await finish_add(update, context, dict(draft.data), items[-1] == "1")
    elif verb == "p":
        person = await own_person(context, user.id, int_at(items, 2))
        if person is None:
            await stale(update, context)
            return
        await person_view(update, context, person)
    elif verb == "e":
        person = await own_person(context, user.id, int_at(items, 2))
        field = items[3] if len(items) > 3 else ""
        if person is None or field not in ("name", "relationship", "phone", "notes"):
            await stale(update, context)
            return
        await ask(update, context, f"edit:{person.id}:{field}", {})
    elif verb == "k":
        person = await own_person(context, user.id, int_at(items, 2))
        if person is None:
            await stale(update, context)
            return
        await store.circle.set_asked(person.id, not person.asked)
        refreshed = await store.circle.person(person.id)
        if refreshed is not None:
            await person_view(update, context, refreshed)
    elif verb == "i":
        person = await own_person(context, user.id, int_at(items, 2))
        if person is None or person.tg_status == "accepted":
            await stale(update, context)
            return
        await make_invite(update, context, person)
    elif verb == "r":
        person = await own_person(context, user.id, int_at(items, 2))
        if person is None:
            await stale(update, context)
            return
        lang = await language_for(update, context)
        await show(
            update,
            context,
            text_of(context, lang, "circle.remove_confirm", name=person.name),
            markup(
                [
                    button(
                        text_of(context, lang, "circle.btn_remove_yes"), f"circle:rr:{person.id}"
                    )
                ],
                [button(text_of(context, lang, "circle.btn_back"), f"circle:p:{person.id}")],
            ),
        )
    elif verb == "rr":
        person = await own_person(context, user.id, int_at(items, 2))
        if person is None:
            await stale(update, context)
            return
        await store.circle.remove_person(person.id)
        lang = await language_for(update, context)
        await answer_quietly(
            query, str(text_of(context, lang, "circle.removed", name=person.name))
        )
        await home(update, context)
    elif verb == "nv":
        await never_view(update, context)
    elif verb == "na":
        await ask(update, context, "never:name", {})
    elif verb == "nr":
        if not await store.circle.remove_never(user.id, int_at(items, 2) or 0):
            await stale(update, context)
            return
        await never_view(update, context)
    elif verb == "h":
        await help_view(update, context)
    elif verb == "hw":
        await ask(update, context, "help:text", {})
    elif verb == "hd":
        await store.circle.set_help_text(user.id, None)
        await help_view(update, context)
    elif verb == "hs":
        if draft is None or draft.state != "help:preview":
            await stale(update, context)
            return
        await store.circle.set_help_text(user.id, str(draft.data.get("text", "")))
        await store.circle.drop_draft(user.id)
        lang = await language_for(update, context)
        await show(update, context, text_of(context, lang, "circle.help_saved"))
    elif verb == "cs":
        await circle_data.consent_view(update, context)
    elif verb == "sn":
        await circle_escalation.support_now(update, context)
    else:
        await stale(update, context)


async def cancel(update: Update, context: Context) -> None:
    user = update.effective_user
    if user is None:
        return
    store = context.bot_data.store
    if await store.circle.draft(user.id) is None:
        await reply(update, context, "circle.nothing_to_cancel")
        return
    await store.circle.drop_draft(user.id)
    await reply(update, context, "circle.cancelled")


# -- registration ---------------------------------------------------------------------------


def deep_links() -> list[BaseHandler[Update, Context, None]]:
    """Registered before /start: a support person's invite link."""
    return [
        CommandHandler(
            "start",
            open_invite,
            filters=PRIVATE & filters.Regex(rf"^/start {INVITE_PREFIX}[A-Za-z0-9_-]+$"),
        )
    ]


def handlers() -> list[BaseHandler[Update, Context, None]]:
    return [
        CommandHandler("mycircle", mycircle, filters=PRIVATE),
        CommandHandler(
            ["mycircle", "supportnow", "consent", "mydata", "forgetme", "stepdown"],
            mycircle_group,
            filters=GROUPS,
        ),
        CommandHandler("stepdown", stepdown, filters=PRIVATE),
        CommandHandler("cancel", cancel, filters=PRIVATE),
        CallbackQueryHandler(
            circle_escalation.on_button, pattern=r"^circle:(cy|cn|ct|ep|eok|ex):"
        ),
        CallbackQueryHandler(
            circle_data.on_button, pattern=r"^circle:(cw|cwa|ap|aok|aw|ax|adv|fy|fn)(:|$)"
        ),
        CallbackQueryHandler(on_button, pattern=r"^circle:"),
        *circle_escalation.handlers(),
        *circle_data.handlers(),
    ]


def drafts() -> list[BaseHandler[Update, Context, None]]:
    """Registered before the talk feature's private-message handler: answers to questions.

    A text that is not an answer to a recent circle question goes on to one-to-one contact,
    which shows the usual hint when it has no use for it either."""
    return [MessageHandler(PRIVATE & filters.TEXT & ~filters.COMMAND, answer_text)]


def observers() -> list[BaseHandler[Update, Context, None]]:
    return []


def jobs() -> dict[str, ActionHandler]:
    return {OUTBOX_KIND: outbox_job, **circle_escalation.jobs()}


async def _invite_payload(update: Update, context: Context, _payload: str) -> None:
    await open_invite(update, context)


def feature() -> Feature:
    return Feature(
        name="circle",
        menu=MENU,
        commands=[*handlers(), *drafts()],
        observers=observers(),
        jobs=jobs(),
        start_payloads={INVITE_PREFIX: _invite_payload},
    )
